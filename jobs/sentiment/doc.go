// Package sentiment classifies a crypto or market headline (plus its summary,
// when there is one) as bullish, bearish or neutral, with a score in [-1, 1],
// a confidence and the terms that moved it, for explanations shown to users.
//
// It is a leaf of pulsebot's dependency graph: a pure core that imports only
// the standard library, so jobs can score articles and bot can explain a
// score without either depending on the other. Nothing here touches the
// network, uses cgo or keeps mutable package state; a Model is immutable
// after loading and safe for concurrent use.
//
// The classifier is a multinomial logistic regression over stemmed unigrams
// and bigrams plus dense features computed by hand-written market rules:
// a lexicon of market phrases in five categories (regulation, incidents,
// market moves, business, mood: "etf approval", "inflows", "sec sues",
// "liquidations", ...), negation ("not approved", "fails to", "no longer",
// "denies"), hedges, questions and framing ("could", "Will BTC crash?",
// "What the crash means for lenders", "price analysis") that damp the
// evidence, and percentages with a direction ("falls 8%", "+5%"; a cost
// such as fees turns the direction round). Coin, token and firm names are
// all read as one word, so a name carries no sentiment of its own. The
// weights are trained by cmd/train-sentiment on licence-clean data only (see
// MODEL.md) and embedded as model.tsv; [Model.Version] is a hash of that
// file, whose header names the feature-code version, so stored scores can be
// recomputed when either changes.
//
// [Result.Terms] are only market evidence: lexicon phrases (with the negator
// that flips them) and percentages with a direction, never a coin, asset or
// firm name. A lexicon word that is also a project's name ("Optimism",
// "Bullish", "Jump") counts as a name when written with a capital inside a
// sentence-case title or a summary.
package sentiment
