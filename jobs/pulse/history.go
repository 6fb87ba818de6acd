package pulse

import (
	"cmp"
	"slices"
	"time"
)

const (
	// baselineDays is how far back the volume baseline looks.
	baselineDays = 30
	// minBaselineDays is how many earlier pulses the volume baseline needs;
	// with fewer, the volume component stays neutral.
	minBaselineDays = 3
	// momentumDays is the window of the momentum component's average.
	momentumDays = 7
	// minBaselineVolume floors the baseline at one single-outlet story, so a
	// run of empty days does not turn one story into an infinite surge.
	minBaselineVolume = 1.0
)

// history indexes the earlier days by how many days before the pulse's date
// they are (1 = yesterday).
type history struct {
	ago map[int]Day
}

// newHistory keeps the days strictly before date, keyed by their UTC
// calendar day. If two entries share a day (a caller bug), the one with more
// stories wins, then the higher score, so the result does not depend on
// their order.
func newHistory(days []Day, date time.Time) history {
	h := history{ago: make(map[int]Day, len(days))}
	for _, d := range days {
		ago := daysBetween(dayOf(d.Date), date)
		if ago < 1 {
			continue
		}
		if old, ok := h.ago[ago]; ok && cmp.Or(cmp.Compare(old.Stories, d.Stories), cmp.Compare(old.Score, d.Score)) >= 0 {
			continue
		}
		h.ago[ago] = d
	}
	return h
}

// daysBetween counts whole UTC days from a to b (both at UTC midnight).
func daysBetween(a, b time.Time) int {
	return int(b.Sub(a).Round(time.Hour).Hours()) / 24
}

// deltas compares score with the pulses 1, 7 and 30 days back.
func (h history) deltas(score float64) Deltas {
	at := func(ago int) *float64 {
		d, ok := h.ago[ago]
		if !ok {
			return nil
		}
		v := roundTenth(score - d.Score)
		return &v
	}
	return Deltas{Day: at(1), Week: at(7), Month: at(30)}
}

// volumeBaseline is the median Volume of the last 30 days with a pulse. Days
// with no stories count (a quiet day is a real observation); missing days do
// not. The median rather than the mean so that one earlier surge does not
// make the next month look quiet. ok is false with too few days.
func (h history) volumeBaseline() (median float64, days int, ok bool) {
	vs := make([]float64, 0, baselineDays)
	for ago := 1; ago <= baselineDays; ago++ {
		if d, found := h.ago[ago]; found {
			vs = append(vs, max(d.Volume, 0))
		}
	}
	if len(vs) < minBaselineDays {
		return 0, len(vs), false
	}
	slices.Sort(vs)
	m := len(vs) / 2
	median = vs[m]
	if len(vs)%2 == 0 {
		median = (vs[m-1] + vs[m]) / 2
	}
	return max(median, minBaselineVolume), len(vs), true
}

// weekBalance is the mean Balance of the previous seven days, each day
// weighted by its Volume: the balance of the week's stories pooled. Plain
// averaging would let a day of one story swing the reference as much as a
// day of a hundred; days without stories have no weight.
func (h history) weekBalance() (mean float64, days int) {
	var sum, weight float64
	for ago := 1; ago <= momentumDays; ago++ {
		if d, ok := h.ago[ago]; ok && d.Stories > 0 && d.Volume > 0 {
			sum += d.Volume * d.Balance
			weight += d.Volume
			days++
		}
	}
	if days == 0 {
		return 0, 0
	}
	return sum / weight, days
}
