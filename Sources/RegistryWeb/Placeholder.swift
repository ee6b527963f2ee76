// The staff HTML view (html.md); built out by the HTML work.
