package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunRejectsBadArguments(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"extra"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 2 {
			t.Errorf("run(%q) = %d, want 2 (stderr %q)", args, code, errb.String())
		}
	}
}

func TestRunListFeeds(t *testing.T) {
	shared := t.TempDir()
	feeds := filepath.Join(shared, "feeds")
	if err := os.MkdirAll(feeds, 0o755); err != nil {
		t.Fatal(err)
	}
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<item><title>Bitcoin &amp; ether jump</title><guid>g1</guid><description>&lt;p&gt;Prices rose.&lt;/p&gt;</description></item>
</channel></rss>`
	if err := os.WriteFile(filepath.Join(feeds, "x.xml"), []byte(rss), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-shared", shared, "-list-feeds"}, &out, &errb); code != 0 {
		t.Fatalf("run -list-feeds = %d, stderr %q", code, errb.String())
	}
	if got, want := strings.TrimSpace(out.String()), "x.xml\tg1\tBitcoin & ether jump\tPrices rose."; got != want {
		t.Errorf("-list-feeds printed %q, want %q", got, want)
	}
}

func TestRunTrainFailsWithoutData(t *testing.T) {
	var out, errb bytes.Buffer
	dir := t.TempDir()
	code := run(context.Background(), []string{"-shared", dir, "-own", dir, "-out", filepath.Join(dir, "m.tsv")}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "corpus:") {
		t.Errorf("run without data = %d, stderr %q; want 1 and a corpus error", code, errb.String())
	}
}
