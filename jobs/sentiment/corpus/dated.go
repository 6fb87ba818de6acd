package corpus

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/pulsebot/pulsebot/jobs/sentiment"
)

// DatedLabelsFile is the team's labels of shared/headlines-dated.csv, inside
// jobs/sentiment/testdata.
const DatedLabelsFile = "dated_labels.tsv"

// DatedHeadlinesFile is the shared file of real 2020 crypto headlines (MIT)
// that DatedLabelsFile labels, relative to the shared test-data directory.
const DatedHeadlinesFile = "headlines-dated.csv"

// DatedExample is one of the team's labels of a dated headline, with the
// text resolved from the shared file. Date lets -select hold out whole
// months, so a story that runs for a few days is not on both sides.
type DatedExample struct {
	Date time.Time
	sentiment.Example
}

// HeadlineKey is how a label refers to a headline without copying it: the
// first 12 hex digits of the SHA-256 of the headline exactly as the CSV has
// it. Twelve digits are plenty for a thousand rows, and
// ReadDatedLabels rejects a key that two headlines of one day share.
func HeadlineKey(headline string) string {
	sum := sha256.Sum256([]byte(headline))
	return hex.EncodeToString(sum[:6])
}

// ReadDatedLabels reads a label file of "date<TAB>key<TAB>label" lines
// (blank lines and '#' comments skipped) and resolves each against the
// headlines of csvPath (columns date, source, headline, label; the CSV's own
// label column, FinBERT's output, is never read). A label whose headline
// cannot be found, or a headline labelled twice, is an error, so an edited
// CSV cannot silently shrink or shift the training set.
func ReadDatedLabels(labelsPath, csvPath string) ([]DatedExample, error) {
	text, err := readDatedHeadlines(csvPath)
	if err != nil {
		return nil, err
	}
	var out []DatedExample
	seen := make(map[string]bool)
	err = readTSV(labelsPath, "dated labels", 3, "date<TAB>key<TAB>label", func(parts []string) error {
		day, err := time.Parse(time.DateOnly, parts[0])
		if err != nil {
			return err
		}
		l, err := parseLabel(parts[2])
		if err != nil {
			return err
		}
		k := parts[0] + "\t" + parts[1]
		h, ok := text[k]
		if !ok {
			return fmt.Errorf("no headline with key %s on %s", parts[1], parts[0])
		}
		if seen[k] {
			return fmt.Errorf("key %s on %s labelled twice", parts[1], parts[0])
		}
		seen[k] = true
		out = append(out, DatedExample{Date: day, Example: sentiment.Example{Title: h, Label: l, Source: "dated"}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readDatedHeadlines maps "date<TAB>key" to the headline text. The same
// article listed twice on one day (found under two search words) is one
// entry; two different headlines with one key on one day are an error.
func readDatedHeadlines(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: read dated headlines: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 4
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("corpus: read dated headlines: %w", err)
	}
	if want := []string{"date", "source", "headline", "label"}; len(rows) == 0 || !slices.Equal(rows[0], want) {
		return nil, fmt.Errorf("corpus: read dated headlines: header is not %q", want)
	}
	out := make(map[string]string, len(rows))
	for i, row := range rows[1:] {
		k := row[0] + "\t" + HeadlineKey(row[2])
		if prev, dup := out[k]; dup && prev != row[2] {
			return nil, fmt.Errorf("corpus: read dated headlines: row %d shares its key with another headline of %s", i+2, row[0])
		}
		out[k] = row[2]
	}
	return out, nil
}

// Examples drops the dates.
func Examples(dated []DatedExample) []sentiment.Example {
	out := make([]sentiment.Example, len(dated))
	for i, d := range dated {
		out[i] = d.Example
	}
	return out
}
