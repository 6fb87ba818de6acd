package cluster

import "strings"

// IsCommentary reports whether a headline looks like a digest, an analysis
// column or a speculative question rather than a report of one event.
//
// Such pieces are not part of any event (see testdata/SAME_EVENT.md): a
// "morning news" post leads with one story and goes on to five others, a
// multi-coin price analysis is about no event, and "Will ETH reach $3,000 in
// October?" is a guess, not a happening. The Index never lets one join a
// story, nor lets anything join a story through one, so it cannot glue two
// unrelated stories together through the one name or amount it shares with
// each. Exported so the ingest job can show such items without counting
// them as a story's coverage.
func IsCommentary(title string) bool {
	return commentary(rawTokens(nil, title), title)
}

// commentary is IsCommentary on the title's tokens.
func commentary(w []rawToken, title string) bool {
	for i, x := range w {
		next := func(k int) string {
			if i+k < len(w) {
				return w[i+k].text
			}
			return ""
		}
		switch x.text {
		case "digest", "roundup", "recap", "newsletter", "briefing", "wochenrückblick":
			return true
		case "round", "wrap":
			if next(1) == "up" {
				return true
			}
		case "week":
			if next(1) == "in" && next(2) == "review" {
				return true
			}
		case "this":
			if next(1) == "week" && next(2) == "in" {
				return true
			}
		case "morning":
			switch next(1) {
			case "minute", "news", "brief", "update", "report":
				return true
			}
		case "news":
			// "news this morning", "news of the week", "news morning",
			// "news – week 4'19"
			switch {
			case next(1) == "this" && (next(2) == "morning" || next(2) == "week"),
				next(1) == "of" && next(2) == "the" && (next(3) == "morning" || next(3) == "week" || next(3) == "day"),
				next(1) == "morning",
				next(1) == "week" && i+2 < len(w) && w[i+2].num:
				return true
			}
		case "daily", "weekly", "curated", "main", "top":
			// "top weekly crypto news", "curated blockchain and cryptocurrency news"
			for k := 1; k <= 4; k++ {
				if next(k) == "news" {
					return true
				}
			}
		case "price", "technical", "market":
			if next(1) == "analysis" || (x.text == "price" && (next(1) == "prediction" || next(1) == "predictions")) {
				return true
			}
		}
	}
	return speculative(title)
}

// speculative reports a headline whose last sentence is a yes/no question:
// "Will X happen?", "Can Y reverse the trend?".
func speculative(title string) bool {
	s := strings.TrimSpace(title)
	if !strings.HasSuffix(s, "?") {
		return false
	}
	s = s[:len(s)-1]
	for _, sep := range []string{". ", ": ", "! ", "? "} {
		if i := strings.LastIndex(s, sep); i >= 0 {
			s = s[i+len(sep):]
		}
	}
	first, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), " ")
	switch first {
	case "will", "can", "could", "should", "would", "is", "are", "does", "do":
		return true
	}
	return false
}
