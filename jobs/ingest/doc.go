// Package ingest turns one fetched feed document (RSS 0.9x/1.0/2.0, Atom or
// JSON Feed) into normalized, deduplicated items: plain-text titles and
// summaries, canonical absolute article URLs, stable GUIDs and UTC publish
// times that never lie in the future.
//
// It is a pure core: Parse reads only the bytes it is given, and the package
// imports nothing from store, bot or the other jobs packages. Fetching lives
// in the sibling package jobs/ingest/safehttp (which owns body-size limits);
// the scheduler in jobs fetches, calls Parse, and writes the result through
// store. Outlet and CanonicalURL are exported for those callers, so that
// publisher ids and URL keys are computed the same way everywhere.
//
// Decoding is delegated to github.com/mmcdole/gofeed; this package prepares
// its input (any declared charset is transcoded to UTF-8 up front, invalid
// UTF-8 becomes U+FFFD) and cleans its output. encoding/xml, under gofeed,
// never expands custom DTD entities, so entity-expansion bombs stay inert.
package ingest
