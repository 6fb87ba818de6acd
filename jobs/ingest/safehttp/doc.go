// Package safehttp fetches untrusted feed URLs without letting them reach
// anything they shouldn't. A [Client] owns its own http.Client and
// http.Transport (no proxy, bounded redirects, bounded time) and puts the
// SSRF guard in the transport's dialer: the host is resolved once, every
// candidate address is checked with [CheckAddr], and the connection is made to
// the approved IP itself. Because the check happens at connect time it covers
// redirects and DNS rebinding alike, and numeric host spellings such as
// "2130706433" or "0x7f.1" are decoded by [ParseNumericHost] rather than left
// to whatever resolver the build uses. Bodies are decompressed by the package
// and capped after decompression, so a gzip bomb costs at most the cap.
// Conditional GET (ETag / Last-Modified), Retry-After on 429/503 and a
// failure [Backoff] complete what a polite feed poller needs; file:// URLs are
// served from disk for operator-configured feeds when [Options.AllowFiles] is
// set.
//
// Place in the dependency graph: a leaf. It imports only the standard library
// and nothing from pulsebot; the ingest job uses it to get bytes that the
// parser in jobs/ingest then turns into articles.
package safehttp
