package corpus

import (
	"path/filepath"
	"strings"

	"github.com/pulsebot/pulsebot/jobs/sentiment"
)

// ReadOwnHeadlines reads headlines the team wrote itself, one
// "text<TAB>label" line each; blank lines and '#' comments are skipped.
func ReadOwnHeadlines(path string) ([]sentiment.Example, error) {
	var out []sentiment.Example
	err := readTSV(path, "own headlines", 2, "text<TAB>label", func(parts []string) error {
		l, err := parseLabel(parts[1])
		if err != nil {
			return err
		}
		out = append(out, sentiment.Example{Title: strings.TrimSpace(parts[0]), Label: l, Source: "own"})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Paths of pulsebot's own label files inside jobs/sentiment/testdata.
const (
	OwnHeadlinesFile = "own_headlines.tsv"
	FeedLabelsFile   = "feed_labels.tsv"
)

// Training returns every licence-clean training row, in a fixed order: the
// Twitter Financial News block of shared/sentiment/dev.tsv, then the team's
// own headlines, then the team's labels of shared/feeds items, then the
// team's labels of the 2020 headlines of shared/headlines-dated.csv. shared
// is the shared test-data directory; own is jobs/sentiment/testdata. A
// missing shared file is an error: a model trained without it would differ
// from the shipped one without saying so.
func Training(shared, own string) ([]sentiment.Example, error) {
	tw, err := ReadDev(filepath.Join(shared, "sentiment", "dev.tsv"), Twitter)
	if err != nil {
		return nil, err
	}
	hl, err := ReadOwnHeadlines(filepath.Join(own, OwnHeadlinesFile))
	if err != nil {
		return nil, err
	}
	fl, err := ReadFeedLabels(filepath.Join(own, FeedLabelsFile), filepath.Join(shared, "feeds"))
	if err != nil {
		return nil, err
	}
	dl, err := ReadDatedLabels(filepath.Join(own, DatedLabelsFile), filepath.Join(shared, DatedHeadlinesFile))
	if err != nil {
		return nil, err
	}
	out := make([]sentiment.Example, 0, len(tw)+len(hl)+len(fl)+len(dl))
	out = append(out, tw...)
	out = append(out, hl...)
	out = append(out, fl...)
	return append(out, Examples(dl)...), nil
}
