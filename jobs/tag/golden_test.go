package tag

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/fixtures.golden.tsv from the current tagger")

// TestFixtureGolden pins the tags of every shared fixture item (by file and
// GUID; no feed text is stored) so that a lexicon change shows up as a
// reviewable diff. Regenerate with: go test ./jobs/tag -run Golden -update
func TestFixtureGolden(t *testing.T) {
	var b strings.Builder
	b.WriteString("# file\tguid\tcoins\ttopics\toff_topic\n")
	for _, it := range loadAllFixtures(t) {
		got := Tag(it.title, it.summary, it.categories)
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%t\n", it.file, it.guid,
			strings.Join(got.Coins, ","), strings.Join(got.Topics, ","), got.OffTopic)
	}
	path := filepath.Join("testdata", "fixtures.golden.tsv")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	gotLines := strings.Split(b.String(), "\n")
	wantLines := strings.Split(string(want), "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("golden file has %d lines, tagger produced %d; run with -update and review the diff", len(wantLines), len(gotLines))
	}
	for i := range gotLines {
		if gotLines[i] != wantLines[i] {
			t.Errorf("line %d:\n got  %s\n want %s", i+1, gotLines[i], wantLines[i])
		}
	}
}
