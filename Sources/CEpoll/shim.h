// Linux readiness notification: not exported by Swift's Glibc module.
#include <sys/epoll.h>
#include <sys/eventfd.h>
