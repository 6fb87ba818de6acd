// Package corpus reads the labelled text that the sentiment model is trained
// and evaluated on, and enforces which of it may be used for what.
//
// The shared developer set (../shared/testdata/sentiment/dev.tsv) has three
// blocks with different licences: CryptoLin (no licence) and Financial
// PhraseBank (CC BY-NC-SA) are evaluation-only, Twitter Financial News (MIT)
// may be trained on. pulsebot's own labels (feed items labelled by GUID,
// headlines written by the team, and the team's labels of the 2020 headlines
// of shared/headlines-dated.csv, stored as date and a hash of the text) are
// trainable too; the FinBERT column of that file is never read. [Training] returns only
// the licence-clean rows, so the training program cannot pick up the others
// by accident.
//
// corpus sits beside the sentiment leaf package: it imports
// jobs/sentiment (for its Example and Label types) and gofeed, and is
// imported only by cmd/train-sentiment and the sentiment tests; the pulsebot
// binary never links it.
package corpus
