package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Limits on what one item may carry into the rest of the system.
const (
	MaxTitleRunes    = 300
	MaxSummaryRunes  = 1000
	maxCategoryRunes = 100
	// maxCategories bounds tag lists: real items carry a dozen at most.
	maxCategories = 64
	// maxGUIDBytes bounds a GUID used as a storage key; longer ones are
	// replaced by their hash (see Item.GUID).
	maxGUIDBytes = 512
	// futureSlack tolerates clock skew between publisher and us before a
	// date counts as "in the future".
	futureSlack = 10 * time.Minute
)

// Feed is one parsed document.
type Feed struct {
	Title   string // plain text, at most MaxTitleRunes
	SiteURL string // the feed's site link, absolute, canonical ("" if none)
	Items   []Item // in document order, deduplicated within the document
}

// Item is one normalized entry.
type Item struct {
	// GUID is the entry's guid (RSS) or id (Atom, JSON Feed), trimmed; if
	// absent, the canonical URL; if that is absent too, "sha256:" and the
	// hex SHA-256 of Title + "\n" + the raw published string. A GUID longer
	// than 512 bytes is replaced by "sha256:" and the hash of itself, so it
	// fits an index. Never "".
	GUID string
	// URL is the canonical article URL ("" if none). Relative links are
	// resolved against xml:base, then the feed's site link, then the feed
	// URL. Without a link, a GUID that is an http(s) URL is used.
	URL string
	// Title is plain text, at most MaxTitleRunes runes (cut with "…").
	Title string
	// Summary is plain text from the description/summary, or from the
	// content when that is empty, at most MaxSummaryRunes runes.
	Summary string
	// Categories are plain text, non-empty, deduplicated ignoring case
	// (first spelling kept), at most 64.
	Categories []string
	// Published is in UTC. A missing or unparsable date, or one later than
	// fetchedAt+10min, is replaced by fetchedAt.
	Published time.Time
	// PublishedFromFeed is false when Published fell back to fetchedAt.
	PublishedFromFeed bool
}

// Parse parses one fetched document. feedURL is where it came from, used to
// resolve relative links (it may be ""). fetchedAt stands in for missing or
// future publish dates. Parse reads nothing but body and never modifies it;
// errors read "ingest: parse feed: …".
func Parse(body []byte, feedURL string, fetchedAt time.Time) (*Feed, error) {
	doc := toUTF8(body)
	if len(bytes.TrimSpace(doc)) == 0 {
		return nil, errors.New("ingest: parse feed: empty document")
	}
	gf, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("ingest: parse feed: %w", err)
	}

	feedBase := absoluteBase(feedURL)
	f := &Feed{
		Title:   PlainText(gf.Title, MaxTitleRunes),
		SiteURL: CanonicalURL(gf.Link, feedBase),
	}
	// Relative item links are resolved against the site rather than the
	// feed URL: for a feed served from a relay (feeds.feedburner.com) or a
	// /feed/ path, "/2019/x" means the site's article.
	itemBase := feedBase
	if f.SiteURL != "" {
		itemBase = absoluteBase(f.SiteURL)
	}

	n := normalizer{
		base:      itemBase,
		fetchedAt: fetchedAt.UTC(),
		seenGUID:  make(map[string]struct{}, len(gf.Items)),
		seenURL:   make(map[string]struct{}, len(gf.Items)),
	}
	f.Items = make([]Item, 0, len(gf.Items))
	for _, gi := range gf.Items {
		if gi == nil {
			continue
		}
		if it, ok := n.item(gi); ok {
			f.Items = append(f.Items, it)
		}
	}
	return f, nil
}

// absoluteBase parses s as a base for resolving references, or returns nil
// when it is not an absolute URL with a host.
func absoluteBase(s string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil
	}
	return u
}

// normalizer carries the per-document state of Parse.
type normalizer struct {
	base      *url.URL
	fetchedAt time.Time
	seenGUID  map[string]struct{}
	// seenURL holds the URL of every kept item: an item without its own
	// guid/id is a duplicate if any earlier item had its URL.
	seenURL map[string]struct{}
}

// item normalizes one gofeed item; ok is false for a duplicate.
func (n *normalizer) item(gi *gofeed.Item) (it Item, ok bool) {
	it.Title = PlainText(gi.Title, MaxTitleRunes)
	it.URL = n.itemURL(gi)

	guid := strings.TrimSpace(gi.GUID)
	derived := guid == ""
	switch {
	case derived && it.URL != "":
		guid = it.URL
	case derived:
		guid = hashID(it.Title + "\n" + strings.TrimSpace(gi.Published))
	case len(guid) > maxGUIDBytes:
		guid = hashID(guid)
	}
	if _, dup := n.seenGUID[guid]; dup {
		return Item{}, false
	}
	if derived && it.URL != "" {
		if _, dup := n.seenURL[it.URL]; dup {
			return Item{}, false
		}
	}
	n.seenGUID[guid] = struct{}{}
	if it.URL != "" {
		n.seenURL[it.URL] = struct{}{}
	}
	it.GUID = guid

	// Summaries are computed only for kept items: they are the costliest
	// field when a description is a whole article.
	it.Summary = PlainText(gi.Description, MaxSummaryRunes)
	if it.Summary == "" {
		it.Summary = PlainText(gi.Content, MaxSummaryRunes)
	}
	it.Categories = categories(gi.Categories)
	it.Published, it.PublishedFromFeed = n.published(gi)
	return it, true
}

// itemURL picks the article link: <link> (or Atom rel=alternate), then any
// other link, then a GUID that is itself an http(s) URL (RSS guids default
// to permalinks; Atom ids often are URLs).
func (n *normalizer) itemURL(gi *gofeed.Item) string {
	if u := CanonicalURL(gi.Link, n.base); u != "" {
		return u
	}
	for _, l := range gi.Links {
		if u := CanonicalURL(l, n.base); u != "" {
			return u
		}
	}
	if g := strings.TrimSpace(gi.GUID); hasHTTPScheme(g) {
		return CanonicalURL(g, nil)
	}
	return ""
}

func hasHTTPScheme(s string) bool {
	return len(s) > 8 && (strings.EqualFold(s[:7], "http://") || strings.EqualFold(s[:8], "https://"))
}

// published applies the fallback rules for Item.Published.
func (n *normalizer) published(gi *gofeed.Item) (time.Time, bool) {
	t := gi.PublishedParsed
	if t == nil {
		t = gi.UpdatedParsed
	}
	if t == nil || t.IsZero() {
		return n.fetchedAt, false
	}
	p := t.UTC()
	if p.After(n.fetchedAt.Add(futureSlack)) {
		return n.fetchedAt, false
	}
	return p, true
}

// categories cleans a category list: plain text, non-empty, deduplicated
// ignoring case with the first spelling kept, at most maxCategories.
func categories(raw []string) []string {
	var out []string
	for _, c := range raw {
		c = PlainText(c, maxCategoryRunes)
		if c == "" || containsFold(out, c) {
			continue
		}
		if len(out) == maxCategories {
			break
		}
		out = append(out, c)
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func hashID(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}
