package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulsebot/pulsebot/internal/shareddata"
	"github.com/pulsebot/pulsebot/jobs/sentiment"
)

// writeDev writes a fake dev.tsv with the real block sizes, each row naming
// its block, so reading by line range can be checked without the real file.
func writeDev(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, blk := range []Block{CryptoLin, PhraseBank, Twitter} {
		first, last := blk.Lines()
		for n := first; n <= last; n++ {
			fmt.Fprintf(&b, "%s row %d\tneutral\n", blk, n)
		}
	}
	p := filepath.Join(t.TempDir(), "dev.tsv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadDevReadsOnlyItsBlock(t *testing.T) {
	p := writeDev(t)
	for _, blk := range []Block{CryptoLin, PhraseBank, Twitter} {
		rows, err := ReadDev(p, blk)
		if err != nil {
			t.Fatalf("ReadDev(%s): %v", blk, err)
		}
		first, last := blk.Lines()
		if len(rows) != last-first+1 {
			t.Errorf("ReadDev(%s) = %d rows, want %d", blk, len(rows), last-first+1)
		}
		for _, r := range rows {
			if !strings.HasPrefix(r.Title, blk.String()+" row ") {
				t.Fatalf("ReadDev(%s) returned a row of another block: %q", blk, r.Title)
			}
		}
	}
	if !Twitter.Trainable() || CryptoLin.Trainable() || PhraseBank.Trainable() {
		t.Error("only the Twitter block may be trainable")
	}
}

func TestReadDevRejectsShortFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "dev.tsv")
	if err := os.WriteFile(p, []byte("a\tneutral\nb\tbullish\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDev(p, Twitter); err == nil {
		t.Error("ReadDev on a 2-line file succeeded, want a row-count error")
	}
}

func TestReadOwnHeadlines(t *testing.T) {
	p := filepath.Join(t.TempDir(), "own.tsv")
	data := "# comment\n\nBitcoin jumps\tbullish\nExchange hacked\tbearish\n"
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadOwnHeadlines(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []sentiment.Example{{Title: "Bitcoin jumps", Label: sentiment.Bullish, Source: "own"}, {Title: "Exchange hacked", Label: sentiment.Bearish, Source: "own"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("ReadOwnHeadlines = %+v, want %+v", got, want)
	}
	if err := os.WriteFile(p, []byte("Bitcoin jumps\tbullishish\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadOwnHeadlines(p); err == nil {
		t.Error("ReadOwnHeadlines accepted an unknown label")
	}
}

// The committed label files must parse, and every feed label must point at
// an item that exists in the shared feeds.
func TestOwnLabelFiles(t *testing.T) {
	own, err := ReadOwnHeadlines(filepath.Join("..", "testdata", OwnHeadlinesFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(own) < 300 {
		t.Errorf("own headlines: %d rows, want at least 300", len(own))
	}
	feeds := shareddata.Path(t, "feeds")
	fl, err := ReadFeedLabels(filepath.Join("..", "testdata", FeedLabelsFile), feeds)
	if err != nil {
		t.Fatal(err)
	}
	if len(fl) < 300 {
		t.Errorf("feed labels: %d rows, want at least 300", len(fl))
	}
}

func TestPlainText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<h1>Gemini Passes Audit</h1>", "Gemini Passes Audit"},
		{"A &amp;amp; B", "A & B"},
		{"  two\n  lines  ", "two lines"},
	} {
		if got := PlainText(tc.in); got != tc.want {
			t.Errorf("PlainText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
