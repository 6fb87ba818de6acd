package pulse

import "math"

// The five bands split 0–10 into equal fifths, like Alternative.me's Fear &
// Greed index splits 0–100, so a reader who knows that index reads ours the
// same way. Equal widths also keep the coloured areas of the chart even.
const (
	BandExtremeFear  = "Extreme Fear"
	BandFear         = "Fear"
	BandNeutral      = "Neutral"
	BandGreed        = "Greed"
	BandExtremeGreed = "Extreme Greed"
)

// band is one named slice of the 0–10 scale: [Low, High), except that the
// top band includes 10.
type band struct {
	Name      string
	Low, High float64
}

// bands lists the bands from the bottom of the scale to the top. It is a
// function rather than a package variable so nothing can change it.
func bands() [5]band {
	return [5]band{
		{BandExtremeFear, 0, 2},
		{BandFear, 2, 4},
		{BandNeutral, 4, 6},
		{BandGreed, 6, 8},
		{BandExtremeGreed, 8, 10},
	}
}

// BandOf names the band a score falls in: Extreme Fear [0,2), Fear [2,4),
// Neutral [4,6), Greed [6,8), Extreme Greed [8,10]. Scores outside 0–10 fall
// in the nearest end band; NaN is Neutral. Pass the rounded score (as
// Pulse.Score is) so the band always agrees with the number shown beside it.
func BandOf(score float64) string {
	if math.IsNaN(score) {
		return BandNeutral
	}
	bs := bands()
	for _, b := range bs[:len(bs)-1] {
		if score < b.High {
			return b.Name
		}
	}
	return BandExtremeGreed
}
