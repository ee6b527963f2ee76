#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Locks

/// The response side of a connection: one `send` per response when the socket has room (the whole
/// head and body are in one buffer, see ResponseEncoder), write interest only while output is
/// pending. All on the loop thread.
extension HTTPConnection {
    func enqueueOutput(_ bytes: [UInt8]) {
        guard !closed, !bytes.isEmpty else { return }
        if output.count == outputOffset {
            output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
            outputOffset = 0
            // The write-stall clock starts when output becomes pending, not at the last write ever.
            lastWriteProgress = MonotonicClock.now()
        }
        output.append(contentsOf: bytes)
        flushOutput()
    }

    /// Bytes of a streamed body from a worker: counted so the producer can be told when they leave.
    func enqueueStreamBytes(_ bytes: [UInt8], channel: StreamChannel) {
        guard !closed else {
            channel.fail()
            return
        }
        activeStream = channel
        streamBytesInOutput += bytes.count
        enqueueOutput(bytes)
    }

    /// Writes as much as the socket takes now; arms the write source for the rest.
    func flushOutput() {
        guard !closed else { return }
        var written = 0
        while outputOffset < output.count {
            let count = output.withUnsafeBytes { buffer in
                send(fd, buffer.baseAddress! + outputOffset, buffer.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                outputOffset += count
                written += count
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                break
            } else {
                // EPIPE, ECONNRESET…: the client is gone; a streaming producer learns it on its next write.
                abortConnection()
                return
            }
        }
        if written > 0 {
            lastWriteProgress = MonotonicClock.now()
            reportStreamProgress(written)
        }
        if outputOffset < output.count {
            armWriteSource()
        } else {
            outputDrained()
        }
    }

    private func reportStreamProgress(_ written: Int) {
        guard let activeStream, streamBytesInOutput > 0 else { return }
        let streamPart = min(written, streamBytesInOutput)
        streamBytesInOutput -= streamPart
        activeStream.didWrite(streamPart)
    }

    /// The loop saw the socket writable.
    func handleWritable() {
        guard !closed else { return }
        flushOutput()
    }

    private func armWriteSource() {
        guard !wantsWrite else { return }
        wantsWrite = true
        updateInterest()
    }

    /// Everything queued has reached the socket.
    private func outputDrained() {
        if wantsWrite {
            wantsWrite = false
            updateInterest()
        }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputOffset = 0
        if closeWhenFlushed {
            beginLingeringClose()
        } else if waitingForDrain {
            waitingForDrain = false
            resumeReading()
            processInput()
        }
    }

    /// Close as soon as what is queued has been written.
    func closeAfterPendingOutput() {
        closeWhenFlushed = true
        state = .closing
        if output.count == outputOffset {
            beginLingeringClose()
        }
    }

    /// A streamed response failed after its first byte: send what is queued, then close without the
    /// terminating chunk. A client already gone is simply dropped.
    func endTruncatedStream() {
        guard !closed else { return }
        if activeStream?.isFailed ?? false {
            abortConnection()
            return
        }
        activeStream = nil
        streamBytesInOutput = 0
        closeAfterPendingOutput()
    }

    // MARK: Shutdown (OPS-45)

    /// Idle connections close at once; busy ones answer their request with `Connection: close`.
    func beginShutdown() {
        guard !closed else { return }
        shutdownRequested = true
        switch state {
        case .idle:
            closeAfterPendingOutput()
        case .readingHead, .awaitingPreflight, .readingBody, .responding, .closing:
            break
        }
    }

    /// True while a request is between "head complete" and "response queued".
    var isBusy: Bool {
        switch state {
        case .awaitingPreflight, .readingBody, .responding: return true
        case .idle, .readingHead, .closing: return false
        }
    }
}
