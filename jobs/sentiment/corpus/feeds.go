package corpus

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mmcdole/gofeed"

	"github.com/pulsebot/pulsebot/jobs/sentiment"
)

// FeedItem is one item of a shared feed file, reduced to what labelling and
// training need. Text is kept in memory only; label files refer to items by
// File and GUID so no headline text is copied into the repository.
type FeedItem struct {
	File    string // base name, e.g. "theblock-202610.xml"
	GUID    string
	Title   string // plain text
	Summary string // description as plain text (may be empty)
}

// ReadFeeds parses every *.xml file in dir, in file-name order and item order.
func ReadFeeds(dir string) ([]FeedItem, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil {
		return nil, fmt.Errorf("corpus: list feeds: %w", err)
	}
	sort.Strings(files)
	var out []FeedItem
	for _, path := range files {
		items, err := readFeed(path)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

func readFeed(path string) ([]FeedItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: read feed: %w", err)
	}
	defer f.Close()
	feed, err := gofeed.NewParser().Parse(f)
	if err != nil {
		return nil, fmt.Errorf("corpus: parse feed %s: %w", filepath.Base(path), err)
	}
	var out []FeedItem
	for _, it := range feed.Items {
		guid := it.GUID
		if guid == "" {
			guid = it.Link
		}
		summary := it.Description
		if summary == "" {
			summary = it.Content
		}
		out = append(out, FeedItem{
			File:    filepath.Base(path),
			GUID:    strings.TrimSpace(guid),
			Title:   PlainText(it.Title),
			Summary: PlainText(summary),
		})
	}
	return out, nil
}

// ReadFeedLabels reads a label file of "file<TAB>guid<TAB>label" lines
// (blank lines and lines starting with '#' are skipped) and joins it with the
// feed items in feedsDir. A label whose item cannot be found is an error, so a
// moved feed file does not silently shrink the training set.
func ReadFeedLabels(labelsPath, feedsDir string) ([]sentiment.Example, error) {
	items, err := ReadFeeds(feedsDir)
	if err != nil {
		return nil, err
	}
	byKey := make(map[string]FeedItem, len(items))
	for _, it := range items {
		k := it.File + "\t" + it.GUID
		if _, dup := byKey[k]; !dup {
			byKey[k] = it
		}
	}
	var out []sentiment.Example
	seen := make(map[string]bool)
	err = readTSV(labelsPath, "feed labels", 3, "file<TAB>guid<TAB>label", func(parts []string) error {
		l, err := parseLabel(parts[2])
		if err != nil {
			return err
		}
		k := parts[0] + "\t" + parts[1]
		it, ok := byKey[k]
		if !ok {
			return fmt.Errorf("no item %q in %s", parts[1], parts[0])
		}
		if seen[k] {
			return fmt.Errorf("item %q labelled twice", parts[1])
		}
		seen[k] = true
		out = append(out, sentiment.Example{Title: it.Title, Summary: it.Summary, Label: l, Source: "feeds"})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PlainText strips HTML tags, unescapes entities (twice, because several
// feeds double-escape) and collapses whitespace.
func PlainText(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '<':
			depth++
		case r == '>' && depth > 0:
			depth--
			b.WriteByte(' ')
		case depth == 0:
			b.WriteRune(r)
		}
	}
	t := html.UnescapeString(html.UnescapeString(b.String()))
	return strings.Join(strings.Fields(t), " ")
}
