package cluster

import (
	"slices"
	"testing"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"million spelled out", "$3.8 million exploit", []string{"$3.8m", "hack"}},
		{"million as a suffix", "$3.8M exploit", []string{"$3.8m", "hack"}},
		{"thousands with a comma", "Bitcoin tops $87,000", []string{"bitcoin", "top", "$87k"}},
		{"thousands as K", "BTC tops $87K", []string{"bitcoin", "top", "$87k"}},
		{"token count is not money", "1 Billion XRP", []string{"1b", "xrp"}},
		{"billion as bn", "$1.5bn round", []string{"$1.5b", "round"}},
		{"percent", "drops 7.5%", []string{"drop", "7.5%"}},
		{"year", "in 2026", []string{"2026"}},
		{"U.S. abbreviation", "U.S. SEC sues", []string{"usa", "sec", "sue"}},
		{"US in capitals", "US jobs data", []string{"usa", "job", "data"}},
		{"us as a pronoun", "Tell us why", []string{"tell"}},
		{"possessive and synonym", "Bitget's exploiter", []string{"bitget", "hack"}},
		{"curly possessive", "Bitget’s hackers", []string{"bitget", "hack"}},
		{"plural and tense", "Launches, launched, launching", []string{"launch", "launch", "launch"}},
		{"exchange-traded funds", "Spot Exchange-Traded Funds", []string{"spot", "etf"}},
		{"wind down", "Blast to wind down network", []string{"blast", "shut", "network"}},
		{"two-word place", "North Korea hackers", []string{"north_korea", "hack"}},
		{"long agency name", "the Securities and Exchange Commission said", []string{"sec"}},
		{"hyphenated number", "9-day streak", []string{"9", "day", "streak"}},
		{"stemming", "rallies surged stopped", []string{"rally", "surg", "stop"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, x := range terms(tt.in) {
				got = append(got, x.text)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("terms(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTermClasses(t *testing.T) {
	tests := []struct {
		in   string
		want termClass
	}{
		{"$3.8M", classAmount},
		{"12%", classAmount},
		{"2026", classYear},
		{"9", classNumber},
		{"crypto", classWeak},
		{"Bitget", classWord},
	}
	for _, tt := range tests {
		ts := terms(tt.in)
		if len(ts) != 1 || ts[0].class != tt.want {
			t.Errorf("terms(%q) = %+v, want one term of class %d", tt.in, ts, tt.want)
		}
	}
}

func TestStemAgreesAcrossForms(t *testing.T) {
	for _, forms := range [][]string{
		{"launch", "launches", "launched", "launching"},
		{"hire", "hires", "hired", "hiring"},
		{"rally", "rallies", "rallied"},
		{"raise", "raises", "raised", "raising"},
		{"stop", "stops", "stopped", "stopping"},
		{"deny", "denies", "denied"},
	} {
		want := canonical(forms[0])
		for _, f := range forms[1:] {
			if got := canonical(f); got != want {
				t.Errorf("canonical(%q) = %q, want %q like %q", f, got, want, forms[0])
			}
		}
	}
}
