package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/pulsebot/pulsebot/jobs/sentiment"
	"github.com/pulsebot/pulsebot/jobs/sentiment/corpus"
)

// selectSettings trains on the Twitter block and the team's own headlines
// and scores on the team's feed labels, for a small grid of settings. The
// feed labels are real crypto headlines, so this is the in-domain check the
// settings are chosen by (never the evaluation-only blocks).
func selectSettings(w io.Writer, shared, own string) error {
	tw, err := corpus.ReadDev(filepath.Join(shared, "sentiment", "dev.tsv"), corpus.Twitter)
	if err != nil {
		return err
	}
	hl, err := corpus.ReadOwnHeadlines(filepath.Join(own, corpus.OwnHeadlinesFile))
	if err != nil {
		return err
	}
	val, err := corpus.ReadFeedLabels(filepath.Join(own, corpus.FeedLabelsFile), filepath.Join(shared, "feeds"))
	if err != nil {
		return err
	}
	trainSet := append(append([]sentiment.Example{}, tw...), hl...)
	fmt.Fprintf(w, "train: %d twitter + %d own; validate: %d feed labels\n", len(tw), len(hl), len(val))
	fmt.Fprintf(w, "%-8s %-8s %-6s %7s %7s %7s %7s %7s\n", "l2", "ownW", "prior", "acc", "macroF1", "bullF1", "neuF1", "bearF1")
	for _, l2 := range []float64{3e-5, 1e-4, 3e-4, 1e-3} {
		for _, ow := range []float64{1, 3, 10} {
			for _, prior := range []bool{true, false} {
				cfg := sentiment.DefaultTrainConfig()
				cfg.L2 = l2
				cfg.SourceWeights = map[string]float64{"own": ow}
				if !prior {
					cfg.Prior = [3]float64{}
				}
				data, _, err := sentiment.Train(trainSet, cfg)
				if err != nil {
					return err
				}
				m, err := sentiment.Load(data)
				if err != nil {
					return err
				}
				s := sentiment.Evaluate(val, func(ex sentiment.Example) sentiment.Label { return m.Score(ex.Title, ex.Summary).Label })
				fmt.Fprintf(w, "%-8g %-8g %-6v %7.3f %7.3f %7.3f %7.3f %7.3f\n", l2, ow, prior, s.Accuracy, s.MacroF1, s.F1[sentiment.Bullish], s.F1[sentiment.Neutral], s.F1[sentiment.Bearish])
			}
		}
	}
	return nil
}
