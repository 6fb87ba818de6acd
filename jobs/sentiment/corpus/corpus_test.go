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

func TestReadTSV(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rows, err := ReadTSV(write("ok.tsv", "Bitcoin jumps 8%\tbullish\n\nExchange hacked\tbearish\nFork date set\tneutral\n"), "heldout")
	if err != nil {
		t.Fatal(err)
	}
	want := []sentiment.Example{
		{Title: "Bitcoin jumps 8%", Label: sentiment.Bullish, Source: "heldout"},
		{Title: "Exchange hacked", Label: sentiment.Bearish, Source: "heldout"},
		{Title: "Fork date set", Label: sentiment.Neutral, Source: "heldout"},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("ReadTSV = %v, want %v (blank line skipped)", rows, want)
	}
	for _, tc := range []struct{ name, body, err string }{
		{"notab.tsv", "a\tneutral\nno tab here\n", "line 2 has no tab"},
		{"label.tsv", "a\tpositive\n", `line 1: unknown label "positive"`},
		{"empty.tsv", "\n", "no rows"},
	} {
		_, err := ReadTSV(write(tc.name, tc.body), "x")
		if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("ReadTSV(%s) error = %v, want one naming the file and %q", tc.name, err, tc.err)
		}
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

func TestReadDatedLabels(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "dated.csv")
	data := "date,source,headline,label\n" +
		"2020-01-02,A,Bitcoin jumps,positive\n" +
		"2020-01-02,B,Bitcoin jumps,positive\n" + // the same article under a second search word
		"2020-01-03,A,\"Exchange hacked, funds gone\",negative\n"
	if err := os.WriteFile(csvPath, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(lines ...string) string {
		p := filepath.Join(dir, "labels.tsv")
		if err := os.WriteFile(p, []byte("# comment\n"+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	jumps, hacked := HeadlineKey("Bitcoin jumps"), HeadlineKey("Exchange hacked, funds gone")
	got, err := ReadDatedLabels(write("2020-01-02\t"+jumps+"\tbullish", "2020-01-03\t"+hacked+"\tbearish"), csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Title != "Bitcoin jumps" || got[0].Label != sentiment.Bullish || got[0].Source != "dated" ||
		got[1].Title != "Exchange hacked, funds gone" || got[1].Date.Day() != 3 {
		t.Errorf("ReadDatedLabels = %+v", got)
	}
	for _, tc := range []struct {
		name  string
		lines []string
	}{
		{"unknown key", []string{"2020-01-02\t000000000000\tbullish"}},
		{"key on the wrong day", []string{"2020-01-03\t" + jumps + "\tbullish"}},
		{"labelled twice", []string{"2020-01-02\t" + jumps + "\tbullish", "2020-01-02\t" + jumps + "\tneutral"}},
		{"unknown label", []string{"2020-01-02\t" + jumps + "\tup"}},
		{"bad date", []string{"2 Jan 2020\t" + jumps + "\tbullish"}},
		{"two columns", []string{"2020-01-02\tbullish"}},
	} {
		if _, err := ReadDatedLabels(write(tc.lines...), csvPath); err == nil {
			t.Errorf("%s: ReadDatedLabels succeeded, want an error", tc.name)
		}
	}
}

func TestHeadlineKey(t *testing.T) {
	// sha256("abc") = ba7816bf8f01cfea...
	if got, want := HeadlineKey("abc"), "ba7816bf8f01"; got != want {
		t.Errorf("HeadlineKey(abc) = %q, want %q", got, want)
	}
}

// Every distinct headline of the shared 2020 file is labelled, once.
func TestDatedLabelsCoverTheFile(t *testing.T) {
	csvPath := shareddata.Path(t, DatedHeadlinesFile)
	got, err := ReadDatedLabels(filepath.Join("..", "testdata", DatedLabelsFile), csvPath)
	if err != nil {
		t.Fatal(err)
	}
	text, err := readDatedHeadlines(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(text) {
		t.Errorf("%d dated labels for %d distinct (date, headline) rows", len(got), len(text))
	}
}
