package cluster

import (
	"sort"
	"time"
)

const (
	// idfSmoothing adds pseudo-documents to the document count so that a
	// small index (the first run, a quiet day) does not treat every word as
	// rare: idf = ln((N + idfSmoothing) / (df + 1)).
	idfSmoothing = 50
	// polarityPenalty multiplies the similarity of two headlines that point
	// opposite ways on one axis ("streak extends" / "streak ends").
	polarityPenalty = 0.3
	// minSharedTerms is how many non-generic terms (names, amounts, words
	// other than the weak ones) a document must share with another to join
	// its story.
	minSharedTerms = 2
	// templateStories is how many other stories must contain all the terms
	// two documents share for their overlap to count as a template.
	templateStories = 1
	// pruneShare is the share of Threshold the query terms Match leaves out
	// of the posting walk may reach together. Lower walks longer postings
	// but lets fewer documents through to exact scoring; 0.7 is about the
	// fastest on BenchmarkMatch.
	pruneShare = 0.7
)

// adjust applies the rules on top of cosine similarity s between the query
// q (published at unix time at, from outlet) and the indexed document e. It
// returns -1 for "cannot join through this document" and never raises s,
// which Match relies on to skip documents whose cosine is already too low.
//   - One shared name or amount is a coincidence, not an event: "$4 trillion"
//     in two unrelated headlines. At least minSharedTerms strong terms must
//     be shared, and not only ones that recur together across other stories
//     (a template).
//   - Market moves match only within MoveWindow.
//   - Headlines pointing opposite ways on one axis are different events.
//   - A document of the same outlet must be a near-copy of the headline.
//
// The caller holds ix.mu.
func (ix *Index) adjust(s float64, q *vector, at int64, e *entry, outlet string, logN float64) float64 {
	ix.shared = sharedStrong(ix.shared[:0], q.feats, e.feats)
	if len(ix.shared) < minSharedTerms {
		return -1
	}
	if (q.pos|q.neg|e.pos|e.neg)&(1<<moveAxis) != 0 {
		gap := time.Duration(at-e.at) * time.Second
		if gap > ix.opts.MoveWindow || gap < -ix.opts.MoveWindow {
			return -1
		}
	}
	if outlet != "" && outlet == e.outlet {
		if ix.titleCosine(q.feats, e.feats, logN) < ix.opts.SameOutletThreshold {
			return -1
		}
	}
	if ix.templated(ix.shared, e.story, at) {
		return -1
	}
	if (q.pos&^q.neg)&(e.neg&^e.pos) != 0 || (q.neg&^q.pos)&(e.pos&^e.neg) != 0 {
		s *= polarityPenalty
	}
	return s
}

// sharedStrong appends to dst the strong terms two sorted term lists share.
func sharedStrong(dst []int32, a, b []feat) []int32 {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].id < b[j].id:
			i++
		case a[i].id > b[j].id:
			j++
		default:
			if a[i].id >= 0 && a[i].strong {
				dst = append(dst, a[i].id)
			}
			i++
			j++
		}
	}
	return dst
}

// templated reports whether every term two documents share also occurs,
// all together, in documents of at least templateStories other stories
// within the window: then the overlap is a template ("Shareholder Alert:
// ... Reminds Investors ... Lawsuit Against <Company>") or a stock phrase,
// and says nothing about the two being one event. Documents of the
// candidate's own story do not count, so a widely covered event keeps
// growing. The caller holds ix.mu.
func (ix *Index) templated(shared []int32, story int64, at int64) bool {
	rare := shared[0]
	for _, id := range shared[1:] {
		if ix.df[id] < ix.df[rare] {
			rare = id
		}
	}
	if int(ix.df[rare]) <= templateStories {
		return false
	}
	win := int64(ix.opts.Window / time.Second)
	var others [templateStories]int64
	n := 0
next:
	for _, p := range ix.post[rare] {
		e := &ix.docs[p.doc]
		if e.story == story || e.at < at-win || e.at > at+win {
			continue
		}
		for k := 0; k < n; k++ {
			if others[k] == e.story {
				continue next
			}
		}
		if !hasAll(e.feats, shared) {
			continue
		}
		others[n] = e.story
		if n++; n == templateStories {
			return true
		}
	}
	return false
}

// hasAll reports whether the sorted term list fs contains every id of ids.
func hasAll(fs []feat, ids []int32) bool {
	for _, id := range ids {
		k := sort.Search(len(fs), func(i int) bool { return fs[i].id >= id })
		if k == len(fs) || fs[k].id != id {
			return false
		}
	}
	return true
}
