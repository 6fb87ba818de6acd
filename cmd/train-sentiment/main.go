// Command train-sentiment trains pulsebot's headline sentiment model and
// writes it to jobs/sentiment/model.tsv, where the sentiment package embeds it.
//
// Run it from the repository root:
//
//	go run ./cmd/train-sentiment -shared ../shared/testdata
//
// It reads only licence-clean data (see jobs/sentiment/MODEL.md): the
// Twitter Financial News block of shared/sentiment/dev.tsv (by line range),
// the team's own headlines, the team's labels of shared feed items and the
// team's labels of the 2020 headlines of shared/headlines-dated.csv. The
// output is deterministic: running it twice gives byte-identical files.
//
// -select compares training settings by five-fold cross-validation over the
// team's own headlines (folds by text) and dated labels (folds by month),
// also scoring the team's feed labels (real crypto headlines, never trained
// on there); it is the only way settings are chosen. -list-feeds prints feed
// items for labelling.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pulsebot/pulsebot/jobs/sentiment"
	"github.com/pulsebot/pulsebot/jobs/sentiment/corpus"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("train-sentiment", flag.ContinueOnError)
	fs.SetOutput(stderr)
	shared := fs.String("shared", "../shared/testdata", "shared test-data directory")
	own := fs.String("own", "jobs/sentiment/testdata", "directory with the team's own label files")
	out := fs.String("out", "jobs/sentiment/model.tsv", "model file to write")
	list := fs.Bool("list-feeds", false, "print file, GUID, title and summary start of every shared feed item and exit")
	sel := fs.Bool("select", false, "compare training settings by cross-validation on the team's own labels and exit")
	selL2 := fs.String("l2", "1e-4,3e-4,1e-3", "with -select: L2 penalties to compare")
	selOwn := fs.String("own-weight", "1,3,6", "with -select: weights of the team's headlines to compare")
	selDated := fs.String("dated-weight", "0,3,6", "with -select: weights of the team's dated-headline labels to compare (0 = not trained on)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "train-sentiment: unexpected arguments %q\n", fs.Args())
		return 2
	}
	var err error
	switch {
	case *list:
		err = listFeeds(stdout, filepath.Join(*shared, "feeds"))
	case *sel:
		var g grid
		if g, err = parseGrid(*selL2, *selOwn, *selDated); err != nil {
			fmt.Fprintln(stderr, "train-sentiment:", err)
			return 2
		}
		err = selectSettings(stdout, *shared, *own, g)
	default:
		err = train(stdout, *shared, *own, *out)
	}
	if err != nil {
		fmt.Fprintln(stderr, "train-sentiment:", err)
		return 1
	}
	return 0
}

func listFeeds(w io.Writer, dir string) error {
	items, err := corpus.ReadFeeds(dir)
	if err != nil {
		return err
	}
	for _, it := range items {
		fmt.Fprintf(w, "%s\t%s\t%s\t%.160s\n", it.File, it.GUID, it.Title, it.Summary)
	}
	return nil
}

func train(w io.Writer, shared, own, out string) error {
	examples, err := corpus.Training(shared, own)
	if err != nil {
		return err
	}
	data, rep, err := sentiment.Train(examples, sentiment.DefaultTrainConfig())
	if err != nil {
		return err
	}
	m, err := sentiment.Load(data)
	if err != nil {
		return fmt.Errorf("reload trained model: %w", err)
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	fmt.Fprintf(w, "trained on %d examples: %d sparse features, %d iterations, loss %.4f\nwrote %s (%d bytes, version %s)\n",
		rep.Examples, rep.Features, rep.Iterations, rep.Loss, out, len(data), m.Version())
	return nil
}
