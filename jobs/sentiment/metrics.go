package sentiment

// Scores are the usual classification figures over a labelled set.
type Scores struct {
	N        int
	Accuracy float64
	MacroF1  float64
	F1       map[Label]float64
}

// Evaluate runs predict over examples and scores it against their labels.
func Evaluate(examples []Example, predict func(Example) Label) Scores {
	type counts struct{ tp, fp, fn int }
	c := map[Label]*counts{Bullish: {}, Neutral: {}, Bearish: {}}
	correct := 0
	for _, ex := range examples {
		got := predict(ex)
		if got == ex.Label {
			correct++
			c[got].tp++
			continue
		}
		if k, ok := c[got]; ok {
			k.fp++
		}
		if k, ok := c[ex.Label]; ok {
			k.fn++
		}
	}
	s := Scores{N: len(examples), F1: make(map[Label]float64)}
	if len(examples) > 0 {
		s.Accuracy = float64(correct) / float64(len(examples))
	}
	for _, l := range classLabels {
		k := c[l]
		if d := 2*k.tp + k.fp + k.fn; d > 0 {
			s.F1[l] = 2 * float64(k.tp) / float64(d)
		}
		s.MacroF1 += s.F1[l] / float64(len(classLabels))
	}
	return s
}
