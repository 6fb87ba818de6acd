// Package tag finds which coins and topics a news item is about, and whether
// it is about crypto or markets at all.
//
// Tag is called once per article at ingest, so it is built for speed: each
// text is tokenized once (no regular expressions), and every token is looked
// up in one map of keywords and phrases built on first use. Matching is
// deterministic and allocation-light; BenchmarkTag measures it on the shared
// feed fixtures.
//
// Coin matching is where the false positives live ("link", "near", "one",
// "SOL" in an all-caps headline), so every coin is described by a handful of
// forms, each with a case rule and a gate (see coin.go): unambiguous names and
// tickers match anywhere; common-word tickers match only upper-case, only
// with crypto context in the same item, and some only when a coin word or a
// quote currency sits beside them ("OP token", "NEAR/USDT"). A '$' prefix
// ("$NEAR") is always a coin. Topics and relevance come from weighted keyword
// lists (lexicon.go); feed categories count, at a lower weight.
//
// The coin list (Coins, LookupCoin, SearchCoins) is also what the Discord
// bot's autocomplete and /coin commands read.
//
// Place in the dependency graph: a pure leaf core like jobs/ingest and
// jobs/sentiment. It imports only the standard library; jobs (the scheduler)
// calls Tag and writes the result through store, and bot reads the coin list.
package tag
