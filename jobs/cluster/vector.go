package cluster

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// feat is one term of a document with its headline and summary weights
// (class weight times section weight, before IDF).
type feat struct {
	id     int32 // -1: a query term the index has never seen
	wt, ws float32
	strong bool // not a weak word or a year
}

func (f feat) w() float64 { return float64(f.wt) + float64(f.ws) }

// vector is a document turned into weighted terms.
type vector struct {
	feats      []feat // sorted by id; unknown terms (id -1) first
	pos, neg   uint32 // polarity axes the headline points up / down on
	commentary bool
}

// vectorize turns d into terms. With intern set, unseen terms get ids (Add);
// without, they get id -1 and only count towards the query's norm (Match).
// The caller holds ix.mu.
func (ix *Index) vectorize(d Doc, intern bool) vector {
	ix.rawBuf = rawTokens(ix.rawBuf[:0], d.Title)
	v := vector{commentary: commentary(ix.rawBuf, d.Title)}
	clear(ix.byText)
	add := func(t term, wt, ws float64) {
		k, ok := ix.byText[t.text]
		if !ok {
			k = len(v.feats)
			ix.byText[t.text] = k
			v.feats = append(v.feats, feat{
				id:     ix.termID(t.text, intern),
				strong: t.class != classWeak && t.class != classYear,
			})
		}
		f := &v.feats[k]
		// A term counts once per section: headlines repeat words rarely, and
		// when they do it is emphasis, not a second fact.
		f.wt = float32(math.Max(float64(f.wt), wt))
		f.ws = float32(math.Max(float64(f.ws), ws))
	}
	ix.termBuf = appendTerms(ix.termBuf[:0], ix.rawBuf)
	for _, t := range ix.termBuf {
		add(t, classWeight(t.class), 0)
		if axis, side := polarity(t.text); axis > 0 {
			if side > 0 {
				v.pos |= 1 << axis
			} else {
				v.neg |= 1 << axis
			}
		}
	}
	if sw := ix.opts.SummaryWeight; sw > 0 && d.Summary != "" {
		ix.rawBuf = rawTokens(ix.rawBuf[:0], lede(d.Summary, 40*ix.opts.SummaryTerms))
		ix.termBuf = appendTerms(ix.termBuf[:0], ix.rawBuf)
		st := ix.termBuf
		if len(st) > ix.opts.SummaryTerms {
			st = st[:ix.opts.SummaryTerms]
		}
		for _, t := range st {
			add(t, 0, sw*classWeight(t.class))
		}
	}
	slices.SortFunc(v.feats, func(a, b feat) int { return cmp.Compare(a.id, b.id) })
	return v
}

func (ix *Index) termID(text string, intern bool) int32 {
	if id, ok := ix.terms[text]; ok {
		return id
	}
	if !intern {
		return -1
	}
	id := int32(len(ix.df))
	// Clone: text may be a slice of a long summary the index must not keep.
	ix.terms[strings.Clone(text)] = id
	ix.df = append(ix.df, 0)
	ix.ldf = append(ix.ldf, 0)
	ix.post = append(ix.post, nil)
	return id
}

// idf is ln((N + idfSmoothing) / (df + 1)) given logN = ln(N + idfSmoothing);
// ln(df + 1) is kept per term so that Match takes no logarithms.
func (ix *Index) idf(id int32, logN float64) float64 {
	if id < 0 {
		return logN
	}
	return logN - ix.ldf[id]
}

// norm is the length of a term list under the current IDF.
func (ix *Index) norm(fs []feat, logN float64) float64 {
	var n float64
	for _, f := range fs {
		x := f.w() * ix.idf(f.id, logN)
		n += x * x
	}
	return math.Sqrt(n)
}

// setQuery spreads the query's weights times IDF² over ix.qv, indexed by
// term id, so that dot is one pass over a document's terms; clearQuery
// undoes it. The caller holds ix.mu.
func (ix *Index) setQuery(q []feat, logN float64) {
	if len(ix.qv) < len(ix.df) {
		ix.qv = make([]float64, len(ix.df))
	}
	for _, f := range q {
		if f.id >= 0 {
			idf := ix.idf(f.id, logN)
			ix.qv[f.id] = f.w() * idf * idf
		}
	}
}

func (ix *Index) clearQuery(q []feat) {
	for _, f := range q {
		if f.id >= 0 {
			ix.qv[f.id] = 0
		}
	}
}

// dot is the dot product of the query set by setQuery with a document's
// terms under the current IDF.
func (ix *Index) dot(fs []feat) float64 {
	var s float64
	for _, f := range fs {
		if f.id >= 0 {
			s += ix.qv[f.id] * f.w()
		}
	}
	return s
}

// titleCosine compares headline terms only.
func (ix *Index) titleCosine(a, b []feat, logN float64) float64 {
	var dot, na, nb float64
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i].id < b[j].id):
			x := float64(a[i].wt) * ix.idf(a[i].id, logN)
			na += x * x
			i++
		case i == len(a) || b[j].id < a[i].id:
			y := float64(b[j].wt) * ix.idf(b[j].id, logN)
			nb += y * y
			j++
		default:
			idf := ix.idf(a[i].id, logN)
			x, y := float64(a[i].wt)*idf, float64(b[j].wt)*idf
			if a[i].id >= 0 { // two unknown terms are not the same term
				dot += x * y
			}
			na += x * x
			nb += y * y
			i++
			j++
		}
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// lede cuts s to at most n bytes at a space, so a full-text summary is not
// tokenised only to keep its first few terms. n bytes hold well over
// SummaryTerms terms: headline prose has one non-stopword term per ten
// bytes or so.
func lede(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if i := strings.LastIndexByte(s[:n], ' '); i > 0 {
		return s[:i]
	}
	return s[:n]
}
