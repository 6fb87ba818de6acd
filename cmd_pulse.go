package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pulsebot/pulsebot/jobs/cluster"
	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/jobs/sentiment"
	"github.com/pulsebot/pulsebot/jobs/tag"
	"github.com/pulsebot/pulsebot/store"
)

func cmdScore(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("score", `[--summary TEXT] [--json] "headline text"`)
	summary := fs.String("summary", "", "the article's summary, if any")
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := c.parse(fs, args, 1); !ok {
		return code
	}
	if fs.NArg() != 1 || strings.TrimSpace(fs.Arg(0)) == "" {
		fmt.Fprintln(c.stderr, "pulsebot score: give the headline as one argument, in quotes")
		fs.Usage()
		return exitUsage
	}
	m := sentiment.Default()
	r := m.Score(fs.Arg(0), *summary)
	if *asJSON {
		type termJSON struct {
			Term   string  `json:"term"`
			Weight float64 `json:"weight"`
		}
		out := struct {
			Label      string     `json:"label"`
			Score      float64    `json:"score"`
			Confidence float64    `json:"confidence"`
			Terms      []termJSON `json:"terms"`
			Model      string     `json:"model"`
		}{Label: string(r.Label), Score: roundTo(r.Score, 3), Confidence: roundTo(r.Confidence, 3), Terms: []termJSON{}, Model: m.Version()}
		for _, t := range r.Terms {
			out.Terms = append(out.Terms, termJSON{t.Text, t.Weight})
		}
		return c.printJSON(out)
	}
	fmt.Fprintf(c.stdout, "%s  (score %+.2f, confidence %.0f%%)\n", r.Label, r.Score, 100*r.Confidence)
	if len(r.Terms) > 0 {
		var terms []string
		for _, t := range r.Terms {
			terms = append(terms, fmt.Sprintf("%s %+.2f", t.Text, t.Weight))
		}
		fmt.Fprintf(c.stdout, "because of: %s\n", strings.Join(terms, ", "))
	}
	return exitOK
}

// pulseJSON is pulse --json.
type pulseJSON struct {
	Date        string          `json:"date"`
	Scope       string          `json:"scope"`
	Score       float64         `json:"score"`
	Band        string          `json:"band"`
	Confidence  string          `json:"confidence"`
	Final       bool            `json:"final"`
	Stories     int             `json:"stories"`
	Components  []componentJSON `json:"components"`
	Deltas      deltasJSON      `json:"deltas"`
	Bullish     []storyJSON     `json:"bullish"`
	Bearish     []storyJSON     `json:"bearish"`
	Explanation string          `json:"explanation"`
	Disclaimer  string          `json:"disclaimer"`
}

type componentJSON struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Score  float64 `json:"score"`
	Weight float64 `json:"weight"`
	Detail string  `json:"detail"`
}

type deltasJSON struct {
	Day   *float64 `json:"day"`
	Week  *float64 `json:"week"`
	Month *float64 `json:"month"`
}

func cmdPulse(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("pulse", "[--date YYYY-MM-DD] [--coin BTC] [--json] [--chart out.png] [--db PATH]")
	date := fs.String("date", "", "the UTC day (default: today)")
	coin := fs.String("coin", "", "a coin's pulse instead of the whole market")
	asJSON := fs.Bool("json", false, "print JSON")
	chart := fs.String("chart", "", "also write the 30-day chart ending at that day to this PNG file")
	db := dbFlag(fs)
	if code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	scope := pulse.GlobalScope
	if *coin != "" {
		cn, ok := tag.LookupCoin(*coin)
		if !ok {
			fmt.Fprintf(c.stderr, "pulsebot pulse: --coin: unknown coin %q\n", *coin)
			return exitUsage
		}
		scope = cn.Ticker
	}
	_, st, code := c.setup(ctx, *db, "", store.Options{})
	if st == nil {
		return code
	}
	defer st.Close()
	svc := &pulsejob.Service{Store: st, Now: st.Now}
	day := svc.Today()
	if *date != "" {
		d, err := time.Parse(time.DateOnly, *date)
		if err != nil {
			fmt.Fprintf(c.stderr, "pulsebot pulse: --date: %q is not a date (use YYYY-MM-DD)\n", *date)
			return exitUsage
		}
		day = d
	}
	res, err := svc.Get(ctx, scope, day)
	if err != nil {
		return c.fail(err)
	}
	if *chart != "" {
		png, err := svc.Chart(ctx, res)
		if err == nil {
			err = os.WriteFile(*chart, png, 0o644)
		}
		if err != nil {
			return c.fail(fmt.Errorf("chart: %w", err))
		}
		if !*asJSON {
			defer fmt.Fprintf(c.stdout, "chart: %s\n", *chart)
		}
	}
	lists, arts, err := pulseStories(ctx, st, res)
	if err != nil {
		return c.fail(err)
	}
	if *asJSON {
		out := pulseJSON{
			Date: store.Day(res.Date), Scope: res.Scope, Score: res.Score, Band: res.Band, Confidence: res.Confidence,
			Final: res.Final, Stories: res.Stories, Components: []componentJSON{}, Bullish: []storyJSON{}, Bearish: []storyJSON{},
			Deltas:      deltasJSON{Day: res.Deltas.Day, Week: res.Deltas.Week, Month: res.Deltas.Month},
			Explanation: res.Explanation, Disclaimer: pulse.Disclaimer,
		}
		for _, cp := range res.Components {
			out.Components = append(out.Components, componentJSON{cp.ID, cp.Name, roundTo(cp.Value, 4), cp.Score, cp.Weight, cp.Detail})
		}
		for _, s := range lists[0] {
			out.Bullish = append(out.Bullish, toStoryJSON(s, arts[s.ID]))
		}
		for _, s := range lists[1] {
			out.Bearish = append(out.Bearish, toStoryJSON(s, arts[s.ID]))
		}
		return c.printJSON(out)
	}
	printPulse(c.stdout, res, lists)
	return exitOK
}

// pulseStories loads the stored stories of a pulse's Bullish and Bearish
// lists with their articles, ranked as of the end of the pulse's day.
func pulseStories(ctx context.Context, st *store.Store, res pulsejob.Result) ([2][]store.Story, map[int64][]store.Article, error) {
	var lists [2][]store.Story
	var ids []int64
	ref := res.Date.AddDate(0, 0, 1)
	if now := st.Now(); now.Before(ref) {
		ref = now
	}
	for i, side := range [][]pulse.Story{res.Bullish, res.Bearish} {
		for _, ps := range side {
			s, err := st.Story(ctx, ps.ID)
			if err != nil {
				return lists, nil, err
			}
			s.Rank = cluster.Rank(s.Weight, s.FirstPublished, ref)
			lists[i] = append(lists[i], s)
			ids = append(ids, s.ID)
		}
	}
	arts, err := st.StoryArticles(ctx, ids)
	return lists, arts, err
}

func printPulse(w io.Writer, res pulsejob.Result, lists [2][]store.Story) {
	state := "live, recomputed after each ingest"
	if res.Final {
		state = "final"
	}
	scope := "the crypto market"
	if res.Scope != pulse.GlobalScope {
		scope = res.Scope
	}
	fmt.Fprintf(w, "Market Pulse for %s on %s (%s)\n\n", scope, store.Day(res.Date), state)
	fmt.Fprintf(w, "  %.1f / 10  %s   confidence %s, %s\n", res.Score, res.Band, res.Confidence, plural(res.Stories, "story"))
	fmt.Fprintf(w, "  change: yesterday %s · last week %s · last month %s\n", delta(res.Deltas.Day), delta(res.Deltas.Week), delta(res.Deltas.Month))
	if res.Explanation != "" {
		fmt.Fprintf(w, "\n  %s\n", res.Explanation)
	}
	if len(res.Components) > 0 {
		fmt.Fprintln(w, "\n  Components:")
		for _, cp := range res.Components {
			fmt.Fprintf(w, "    %-28s %4.1f  (weight %2.0f%%)  %s\n", cp.Name, cp.Score, 100*cp.Weight, cp.Detail)
		}
	}
	for i, title := range []string{"Bullish", "Bearish"} {
		if len(lists[i]) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n  %s:\n", title)
		for j, s := range lists[i] {
			fmt.Fprintf(w, "    %d. %s (%s)\n       %s\n", j+1, s.Headline, plural(s.Outlets, "outlet"), s.URL)
		}
	}
	fmt.Fprintf(w, "\n  %s\n", pulse.Disclaimer)
}

func delta(d *float64) string {
	if d == nil {
		return "n/a"
	}
	return fmt.Sprintf("%+.1f", *d)
}

func cmdBackfill(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("backfill", "--from YYYY-MM-DD --to YYYY-MM-DD [--force] [--db PATH]")
	from := fs.String("from", "", "first UTC day (required)")
	to := fs.String("to", "", "last UTC day (required)")
	force := fs.Bool("force", false, "also rewrite days whose pulse is already final")
	db := dbFlag(fs)
	if code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	f, err1 := time.Parse(time.DateOnly, *from)
	t, err2 := time.Parse(time.DateOnly, *to)
	if err1 != nil || err2 != nil {
		fmt.Fprintln(c.stderr, "pulsebot backfill: --from and --to must be dates (YYYY-MM-DD)")
		fs.Usage()
		return exitUsage
	}
	_, st, code := c.setup(ctx, *db, "", store.Options{})
	if st == nil {
		return code
	}
	defer st.Close()
	svc := &pulsejob.Service{Store: st, Now: st.Now}
	r, err := svc.Backfill(ctx, f, t, *force)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "%s: %d pulses written (global and per coin), %s already final and kept", plural(r.Days, "day"), r.Written, plural(r.Skipped, "day"))
	if r.Skipped > 0 && !*force {
		fmt.Fprint(c.stdout, " (--force rewrites them)")
	}
	fmt.Fprintln(c.stdout)
	return exitOK
}
