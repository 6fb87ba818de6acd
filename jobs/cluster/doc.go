// Package cluster groups articles from different outlets about the same
// event into stories, and ranks stories.
//
// An Index holds the articles of recent stories as weighted terms of their
// headline and summary lede: amounts and numbers normalised ("$3.8 million"
// = "$3.8M"), tickers and synonyms folded ("BTC" = "bitcoin", "exploit" =
// "hack"), generic words weak, IDF taken from the index itself. Match
// compares a new article by cosine similarity with the documents published
// within a window of it, found through an inverted index, and applies rules
// on top: at least two non-generic terms shared, and not only ones that
// recur across other stories (templated press releases); headlines pointing
// opposite ways ("streak extends" / "streak ends") are different events;
// market moves match within a day; an outlet joins its own story only with
// a near-copy of a headline; digests, analysis columns and speculative
// questions never join (IsCommentary). What counts as one event is written
// down in testdata/SAME_EVENT.md, and the evaluation test measures pairwise
// precision and recall against hand labels of the shared feeds.
//
// The package is a pure core: it imports nothing of pulsebot's. The ingest
// job loads recent stories into an Index, calls Match for each new article
// in publish-time order, creates a story in the store when there is no
// match, and calls Add; the store uses Headline, OutletWeight and Rank.
package cluster
