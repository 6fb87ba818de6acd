package cluster

import (
	"testing"
	"time"
)

func TestHeadline(t *testing.T) {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	tests := []struct {
		name string
		docs []Doc
		want string
	}{
		{"no documents", nil, ""},
		{"one document", []Doc{{ID: 1, Title: " Only headline ", Outlet: "a.com", Published: at(0)}}, "Only headline"},
		{
			name: "higher-weight outlet wins over an earlier one",
			docs: []Doc{
				{ID: 1, Title: "First, from an aggregator", Outlet: "u.today", Published: at(0)},
				{ID: 2, Title: "Later, from a newsroom", Outlet: "coindesk.com", Published: at(2)},
			},
			want: "Later, from a newsroom",
		},
		{
			name: "earliest among equal weights",
			docs: []Doc{
				{ID: 3, Title: "Second newsroom", Outlet: "theblock.co", Published: at(3)},
				{ID: 2, Title: "First newsroom", Outlet: "www.CoinDesk.com", Published: at(1)},
			},
			want: "First newsroom",
		},
		{
			name: "lower ID on a tie",
			docs: []Doc{
				{ID: 9, Title: "Nine", Outlet: "a.com", Published: at(1)},
				{ID: 4, Title: "Four", Outlet: "b.com", Published: at(1)},
			},
			want: "Four",
		},
		{
			name: "a digest headline only when nothing else",
			docs: []Doc{
				{ID: 1, Title: "Morning Minute: Exchange X Hacked", Outlet: "coindesk.com", Published: at(0)},
				{ID: 2, Title: "Exchange X hacked for $5M", Outlet: "u.today", Published: at(1)},
			},
			want: "Exchange X hacked for $5M",
		},
		{
			name: "empty titles are skipped",
			docs: []Doc{
				{ID: 1, Title: "", Outlet: "sec.gov", Published: at(0)},
				{ID: 2, Title: "Real headline", Outlet: "a.com", Published: at(1)},
			},
			want: "Real headline",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Headline(tt.docs); got != tt.want {
				t.Errorf("Headline = %q, want %q", got, tt.want)
			}
		})
	}
}
