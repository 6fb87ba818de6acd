package cluster

import "strings"

// Headline picks the title a story is shown with: the earliest headline
// from the highest-weight outlet (OutletWeight), ignoring round-ups unless
// the story has nothing else; ties go to the lower article ID. The rule is
// stable: a story's headline changes only when a better-weighted outlet
// joins, never because a late re-write arrives. It returns "" for no docs.
func Headline(docs []Doc) string {
	best := -1
	bestRoundup := true
	for i, d := range docs {
		if strings.TrimSpace(d.Title) == "" {
			continue
		}
		r := IsCommentary(d.Title)
		if best < 0 || better(d, r, docs[best], bestRoundup) {
			best, bestRoundup = i, r
		}
	}
	if best < 0 {
		return ""
	}
	return strings.TrimSpace(docs[best].Title)
}

// better reports whether a (a round-up if ar) should headline a story
// instead of b.
func better(a Doc, ar bool, b Doc, br bool) bool {
	if ar != br {
		return !ar
	}
	if wa, wb := OutletWeight(a.Outlet), OutletWeight(b.Outlet); wa != wb {
		return wa > wb
	}
	if !a.Published.Equal(b.Published) {
		return a.Published.Before(b.Published)
	}
	return a.ID < b.ID
}
