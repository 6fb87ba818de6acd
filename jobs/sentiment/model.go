package sentiment

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// featureVersion names the feature code (tokenizer, stemmer, lexicon,
// rules). Bump it whenever they change what a headline turns into; a model
// file trained for another version is refused, and Version changes.
const featureVersion = "f6"

// Class indexes inside weight triples, in the order the model file uses.
const (
	cBear = iota
	cNeutral
	cBull
	nClass
)

var classLabels = [nClass]Label{Bearish, Neutral, Bullish}

//go:embed model.tsv
var embeddedModel []byte

// defaultModel parses the embedded model once, on first use. It is the one
// package-level value besides the embedded bytes: lazily computed and never
// mutated afterwards, so it is as good as a constant and keeps Default cheap.
var defaultModel = sync.OnceValue(func() *Model {
	m, err := Load(embeddedModel)
	if err != nil {
		panic("sentiment: embedded model: " + err.Error())
	}
	return m
})

// Default returns the model shipped in the binary. It is parsed on the first
// call and shared afterwards; it is safe for concurrent use.
func Default() *Model { return defaultModel() }

// Model is a trained classifier. It is immutable and safe for concurrent use.
type Model struct {
	version string
	bias    [nClass]float64
	dense   [nDense][nClass]float64
	index   map[uint64]int32 // sparse feature key → offset into w
	w       []float32        // nClass weights per sparse feature
	rules   *ruleSet
	docs    sync.Pool // *doc scratch space
}

// Version identifies the weights and the feature code, e.g. "s1-3fa2c1d09b".
// It changes whenever either changes, so stored scores can be recomputed.
func (m *Model) Version() string { return m.version }

// Load parses a model file written by Train (see model.tsv). It refuses a
// file built for another feature version.
func Load(data []byte) (*Model, error) {
	m := &Model{index: make(map[uint64]int32), rules: newRuleSet()}
	sum := sha256.Sum256(data)
	m.version = "s1-" + hex.EncodeToString(sum[:5])
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	seenHeader := false
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if !seenHeader {
			if len(f) < 2 || f[0] != "pulsebot-sentiment" || f[1] != featureVersion {
				return nil, fmt.Errorf("sentiment: load model: line %d: want header for feature version %s, got %q", n, featureVersion, line)
			}
			seenHeader = true
			continue
		}
		if len(f) != 4 {
			return nil, fmt.Errorf("sentiment: load model: line %d: want name and %d weights", n, nClass)
		}
		var w [nClass]float64
		for c := range nClass {
			v, err := strconv.ParseFloat(f[1+c], 64)
			if err != nil {
				return nil, fmt.Errorf("sentiment: load model: line %d: %w", n, err)
			}
			w[c] = v
		}
		name := f[0]
		switch {
		case name == "bias":
			m.bias = w
		case strings.HasPrefix(name, "dense:"):
			d := denseIndex(name[len("dense:"):])
			if d < 0 {
				return nil, fmt.Errorf("sentiment: load model: line %d: unknown dense feature %q", n, name)
			}
			m.dense[d] = w
		default:
			key, err := featureKey(name)
			if err != nil {
				return nil, fmt.Errorf("sentiment: load model: line %d: %w", n, err)
			}
			if _, dup := m.index[key]; dup {
				return nil, fmt.Errorf("sentiment: load model: line %d: feature %q collides with an earlier one", n, name)
			}
			m.index[key] = int32(len(m.w))
			m.w = append(m.w, float32(w[0]), float32(w[1]), float32(w[2]))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("sentiment: load model: %w", err)
	}
	if !seenHeader {
		return nil, fmt.Errorf("sentiment: load model: empty file")
	}
	m.docs.New = func() any { return new(doc) }
	return m, nil
}

func denseIndex(name string) int {
	for d := range nDense {
		if denseName(d) == name {
			return d
		}
	}
	return -1
}

// featureKey turns a feature name from the model file ("u:hack",
// "n:approv", "b:etf approv") into the hash Score computes for it.
func featureKey(name string) (uint64, error) {
	kind, rest, ok := strings.Cut(name, ":")
	if !ok || rest == "" {
		return 0, fmt.Errorf("bad feature name %q", name)
	}
	switch kind {
	case "u":
		return keyUni(hashString(fnvOffset, rest)), nil
	case "n":
		return keyNegUni(hashString(fnvOffset, rest)), nil
	case "b":
		a, b, ok := strings.Cut(rest, " ")
		if !ok {
			return 0, fmt.Errorf("bad bigram feature %q", name)
		}
		return keyBi(hashString(fnvOffset, a), hashString(fnvOffset, b)), nil
	}
	return 0, fmt.Errorf("bad feature kind in %q", name)
}

// Score classifies a headline; summary may be empty. It never fails: text
// with no known words gets the model's prior.
func (m *Model) Score(title, summary string) Result {
	d := m.docs.Get().(*doc)
	defer m.docs.Put(d)
	d.reset(title, summary)
	s := scorer{m: m, d: d, logits: m.bias}
	d.extract(m.rules, &s)

	var p [nClass]float64
	mx := math.Max(s.logits[0], math.Max(s.logits[1], s.logits[2]))
	var z float64
	for c := range nClass {
		p[c] = math.Exp(s.logits[c] - mx)
		z += p[c]
	}
	best := cNeutral
	for c := range nClass {
		p[c] /= z
		if p[c] > p[best] {
			best = c
		}
	}
	return Result{
		Label:      classLabels[best],
		Score:      p[cBull] - p[cBear],
		Confidence: p[best],
		Terms:      d.terms(),
	}
}

// scorer is the emitter used by Score: it adds weights to the logits and
// attributes each contribution's bullish-minus-bearish part to its tokens.
type scorer struct {
	m      *Model
	d      *doc
	logits [nClass]float64
}

func (s *scorer) sparse(key uint64, _ byte, i, j int, v float64) {
	off, ok := s.m.index[key]
	if !ok {
		return
	}
	w := s.m.w[off : off+nClass]
	s.logits[0] += v * float64(w[0])
	s.logits[1] += v * float64(w[1])
	s.logits[2] += v * float64(w[2])
	s.attribute(v*float64(w[cBull]-w[cBear]), i, j)
}

func (s *scorer) dense(k int, v float64, i, j int) {
	w := &s.m.dense[k]
	for c := range nClass {
		s.logits[c] += v * w[c]
	}
	s.attribute(v*(w[cBull]-w[cBear]), i, j)
}

func (s *scorer) attribute(a float64, i, j int) {
	switch {
	case i < 0:
	case j < 0 || j == i:
		s.d.attr[i] += a
	default:
		s.d.attr[i] += a / 2
		s.d.attr[j] += a / 2
	}
}

func (s *scorer) link(i, j int) {
	for k := i; k < j; k++ {
		s.d.links[k] = true
	}
}

// minTermWeight hides terms too small to explain anything.
const minTermWeight = 0.05

// terms groups linked tokens into phrases, sums their attributions and
// returns the five largest by |weight|, largest first (earlier on ties).
//
// Only market evidence is shown: a phrase of the market lexicon (with the
// negator that flips it, "not approved"), or a percentage with a direction
// ("falls 8%", "+5%"). Words the model learned on its own (coin and company
// names, "announces", numbers) still move the score, but they do not explain
// it to a reader: "bitcoin" is what the headline is about, never why it is
// bullish. The lexicon holds no coin, asset or company names, which
// TestTermsAreMarketWords checks.
func (d *doc) terms() []Term {
	type group struct {
		lo, hi int
		w      float64
	}
	var top [6]group
	nt := 0
	for i := 0; i < len(d.toks); {
		g := group{lo: i, hi: i, w: d.attr[i]}
		for g.hi+1 < len(d.toks) && d.links[g.hi] && g.hi+1 != d.nTitle {
			g.hi++
			g.w += d.attr[g.hi]
		}
		i = g.hi + 1
		if !slices.Contains(d.market[g.lo:g.hi+1], true) {
			continue
		}
		if math.Abs(g.w) < minTermWeight {
			continue
		}
		// insertion into a small sorted array
		k := nt
		if k == len(top) {
			k--
			if math.Abs(g.w) <= math.Abs(top[k].w) {
				continue
			}
		} else {
			nt++
		}
		for k > 0 && math.Abs(g.w) > math.Abs(top[k-1].w) {
			top[k] = top[k-1]
			k--
		}
		top[k] = g
	}
	if nt == 0 {
		return nil
	}
	out := make([]Term, 0, min(nt, 5))
	for _, g := range top[:nt] {
		txt := strings.ToLower(d.text(g.lo)[d.toks[g.lo].start:d.toks[g.hi].end])
		merged := false
		for k := range out {
			if out[k].Text == txt {
				out[k].Weight += g.w
				merged = true
				break
			}
		}
		if !merged && len(out) < 5 {
			out = append(out, Term{Text: txt, Weight: g.w})
		}
	}
	for k := 1; k < len(out); k++ { // merging can reorder
		for j := k; j > 0 && math.Abs(out[j].Weight) > math.Abs(out[j-1].Weight); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	for k := range out {
		// float32 weights summed in float64 print as 0.17100000381469727;
		// three decimals is all an explanation needs
		out[k].Weight = math.Round(out[k].Weight*1000) / 1000
	}
	return out
}
