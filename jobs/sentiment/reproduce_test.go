package sentiment_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/pulsebot/pulsebot/internal/shareddata"
	"github.com/pulsebot/pulsebot/jobs/sentiment"
	"github.com/pulsebot/pulsebot/jobs/sentiment/corpus"
)

// TestEmbeddedModelIsReproducible retrains from the licence-clean data, as
// `go run ./cmd/train-sentiment` does, and checks the result is
// byte-identical to the embedded model.tsv: the shipped weights are exactly
// what the documented command produces (and nothing was edited by hand).
// Training takes a second or two, so -short skips it.
func TestEmbeddedModelIsReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping retraining in -short mode")
	}
	dev := shareddata.Path(t, "sentiment", "dev.tsv")
	shared := filepath.Dir(filepath.Dir(dev))
	examples, err := corpus.Training(shared, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := sentiment.Train(examples, sentiment.DefaultTrainConfig())
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("model.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("retrained model (%d bytes) differs from model.tsv (%d bytes); run go run ./cmd/train-sentiment from the repository root", len(got), len(want))
	}
}
