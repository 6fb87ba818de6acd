package corpus

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/pulsebot/pulsebot/jobs/sentiment"
)

// Block is one source inside dev.tsv, identified by its line range.
type Block int

const (
	// CryptoLin is crypto headlines with no licence: evaluation only.
	CryptoLin Block = iota
	// PhraseBank is Financial PhraseBank (CC BY-NC-SA): evaluation only.
	PhraseBank
	// Twitter is Twitter Financial News (MIT): trainable.
	Twitter
)

// Lines returns the first and last 1-based line numbers of the block, as
// documented in dev.tsv's SOURCES.md.
func (b Block) Lines() (first, last int) {
	switch b {
	case CryptoLin:
		return 1, 1065
	case PhraseBank:
		return 1066, 4512
	case Twitter:
		return 4513, 16249
	}
	return 0, -1
}

// Trainable reports whether the block's licence lets a shipped model be
// fitted on it.
func (b Block) Trainable() bool { return b == Twitter }

func (b Block) String() string {
	switch b {
	case CryptoLin:
		return "CryptoLin"
	case PhraseBank:
		return "PhraseBank"
	case Twitter:
		return "Twitter Financial News"
	}
	return fmt.Sprintf("Block(%d)", int(b))
}

// ReadDev reads one block of dev.tsv (lines "text<TAB>label"). Only the
// block's own lines are parsed; the row count is checked against the
// documented range so a changed file fails loudly instead of shifting rows
// between blocks.
func ReadDev(path string, b Block) ([]sentiment.Example, error) {
	first, last := b.Lines()
	if last < first {
		return nil, fmt.Errorf("corpus: read %s: unknown block", b)
	}
	out, err := readLabelled(path, first, last, b.source())
	if err != nil {
		return nil, fmt.Errorf("corpus: read %s: %w", b, err)
	}
	if want := last - first + 1; len(out) != want {
		return nil, fmt.Errorf("corpus: read %s: got %d rows, want %d (lines %d-%d)", b, len(out), want, first, last)
	}
	return out, nil
}

// ReadTSV reads every line of a file in dev.tsv's format ("text<TAB>label",
// labels bullish, bearish or neutral), for evaluating on a labelled set of
// one's own, such as a held-out file. Blank lines are skipped.
func ReadTSV(path, source string) ([]sentiment.Example, error) {
	out, err := readLabelled(path, 1, math.MaxInt, source)
	if err != nil {
		return nil, fmt.Errorf("corpus: read %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("corpus: read %s: no rows", path)
	}
	return out, nil
}

// readLabelled parses lines first..last (1-based, inclusive) of a
// "text<TAB>label" file, skipping blank lines (ReadDev's row count then
// reports them).
func readLabelled(path string, first, last int, source string) ([]sentiment.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	var out []sentiment.Example
	for n := 1; n <= last && sc.Scan(); n++ {
		if n < first || strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		text, label, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return nil, fmt.Errorf("line %d has no tab", n)
		}
		l, err := parseLabel(label)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, sentiment.Example{Title: text, Label: l, Source: source})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func (b Block) source() string {
	switch b {
	case CryptoLin:
		return "cryptolin"
	case PhraseBank:
		return "phrasebank"
	}
	return "twitter"
}

func parseLabel(s string) (sentiment.Label, error) {
	switch l := sentiment.Label(strings.TrimSpace(s)); l {
	case sentiment.Bullish, sentiment.Bearish, sentiment.Neutral:
		return l, nil
	}
	return "", fmt.Errorf("unknown label %q", s)
}
