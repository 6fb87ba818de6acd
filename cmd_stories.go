package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pulsebot/pulsebot/jobs/cluster"
	"github.com/pulsebot/pulsebot/jobs/tag"
	"github.com/pulsebot/pulsebot/store"
)

// storyJSON is a story as printed by stories --json (and inside pulse --json).
type storyJSON struct {
	ID             int64         `json:"id"`
	Headline       string        `json:"headline"`
	FirstPublished string        `json:"first_published"`
	Outlets        int           `json:"outlets"`
	Coins          []string      `json:"coins"`
	Topics         []string      `json:"topics"`
	Rank           float64       `json:"rank"`
	Articles       []articleJSON `json:"articles"`
}

type articleJSON struct {
	Outlet    string `json:"outlet"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Published string `json:"published"`
}

func toStoryJSON(s store.Story, arts []store.Article) storyJSON {
	out := storyJSON{
		ID: s.ID, Headline: s.Headline, FirstPublished: s.FirstPublished.UTC().Format(time.RFC3339),
		Outlets: s.Outlets, Coins: nonNil(s.Coins), Topics: nonNil(s.Topics),
		Rank: roundTo(s.Rank, 4), Articles: []articleJSON{},
	}
	for _, a := range arts {
		out.Articles = append(out.Articles, articleJSON{Outlet: a.Outlet, Title: a.Title, URL: a.URL, Published: a.Published.UTC().Format(time.RFC3339)})
	}
	return out
}

func cmdStories(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("stories", "[--since DURATION] [--coin BTC] [--topic ID] [--limit N] [--json] [--db PATH]")
	since := fs.String("since", "24h", "period to list, back from now: a Go duration (36h) or days (7d)")
	coin := fs.String("coin", "", "only stories about this coin (ticker or name)")
	topic := fs.String("topic", "", "only stories with this topic: "+strings.Join(tag.TopicIDs(), ", "))
	limit := fs.Int("limit", 10, "number of stories")
	asJSON := fs.Bool("json", false, "print JSON")
	offTopic := fs.Bool("off-topic", false, "include stories marked off-topic (not about crypto or markets)")
	db := dbFlag(fs)
	if code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	period, err := parseSince(*since)
	if err != nil {
		fmt.Fprintf(c.stderr, "pulsebot stories: --since: %v\n", err)
		return exitUsage
	}
	f := store.StoryFilter{Limit: *limit, IncludeOffTopic: *offTopic}
	if *limit < 1 {
		fmt.Fprintln(c.stderr, "pulsebot stories: --limit must be at least 1")
		return exitUsage
	}
	if *coin != "" {
		cn, ok := tag.LookupCoin(*coin)
		if !ok {
			fmt.Fprintf(c.stderr, "pulsebot stories: --coin: unknown coin %q\n", *coin)
			return exitUsage
		}
		f.Coin = cn.Ticker
	}
	if *topic != "" {
		if !tag.IsTopic(*topic) {
			fmt.Fprintf(c.stderr, "pulsebot stories: --topic: unknown topic %q (one of %s)\n", *topic, strings.Join(tag.TopicIDs(), ", "))
			return exitUsage
		}
		f.Topic = *topic
	}
	_, st, code := c.setup(ctx, *db, "", store.Options{})
	if st == nil {
		return code
	}
	defer st.Close()
	f.Since = st.Now().Add(-period)
	stories, err := st.TopStories(ctx, f, cluster.Rank)
	if err != nil {
		return c.fail(err)
	}
	ids := make([]int64, len(stories))
	for i, s := range stories {
		ids[i] = s.ID
	}
	arts, err := st.StoryArticles(ctx, ids)
	if err != nil {
		return c.fail(err)
	}
	if *asJSON {
		out := struct {
			Stories []storyJSON `json:"stories"`
		}{Stories: []storyJSON{}}
		for _, s := range stories {
			out.Stories = append(out.Stories, toStoryJSON(s, arts[s.ID]))
		}
		return c.printJSON(out)
	}
	if len(stories) == 0 {
		fmt.Fprintf(c.stdout, "No stories in the last %s. Try a longer --since, or run 'pulsebot ingest --once'.\n", *since)
		return exitOK
	}
	printStories(c.stdout, stories, arts)
	return exitOK
}

func printStories(w io.Writer, stories []store.Story, arts map[int64][]store.Article) {
	for i, s := range stories {
		fmt.Fprintf(w, "%2d. %s\n", i+1, s.Headline)
		meta := []string{plural(s.Outlets, "outlet"), s.FirstPublished.UTC().Format("2006-01-02 15:04 UTC")}
		if len(s.Coins) > 0 {
			meta = append(meta, strings.Join(s.Coins, " "))
		}
		if len(s.Topics) > 0 {
			meta = append(meta, strings.Join(s.Topics, ", "))
		}
		meta = append(meta, "rank "+strconv.FormatFloat(s.Rank, 'f', 3, 64))
		fmt.Fprintf(w, "    %s\n", strings.Join(meta, " · "))
		seen := map[string]bool{}
		for _, a := range arts[s.ID] {
			if seen[a.Outlet] {
				continue
			}
			seen[a.Outlet] = true
			fmt.Fprintf(w, "    - %s: %s\n", a.Outlet, a.URL)
		}
	}
}

func cmdSources(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("sources", "[--json] [--db PATH]")
	asJSON := fs.Bool("json", false, "print JSON")
	db := dbFlag(fs)
	if code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	_, st, code := c.setup(ctx, *db, "", store.Options{})
	if st == nil {
		return code
	}
	defer st.Close()
	srcs, err := st.Sources(ctx, false)
	if err != nil {
		return c.fail(err)
	}
	if *asJSON {
		type sourceJSON struct {
			ID                  int64  `json:"id"`
			URL                 string `json:"url"`
			Name                string `json:"name"`
			Outlet              string `json:"outlet"`
			Active              bool   `json:"active"`
			Healthy             bool   `json:"healthy"`
			LastStatus          string `json:"last_status"`
			LastSuccess         string `json:"last_success,omitempty"`
			LastError           string `json:"last_error,omitempty"`
			ConsecutiveFailures int    `json:"consecutive_failures"`
			NextFetch           string `json:"next_fetch,omitempty"`
			Articles            int    `json:"articles"`
		}
		out := struct {
			Sources []sourceJSON `json:"sources"`
		}{Sources: []sourceJSON{}}
		for _, s := range srcs {
			out.Sources = append(out.Sources, sourceJSON{
				ID: s.ID, URL: s.URL, Name: s.Name, Outlet: s.Outlet, Active: s.Active, Healthy: s.Healthy(),
				LastStatus: s.LastStatus, LastSuccess: rfc3339(s.LastSuccessAt), LastError: s.LastError,
				ConsecutiveFailures: s.ConsecutiveFailures, NextFetch: rfc3339(s.NextFetchAt), Articles: s.Articles,
			})
		}
		return c.printJSON(out)
	}
	if len(srcs) == 0 {
		fmt.Fprintln(c.stdout, "No feeds yet. Run 'pulsebot ingest --once' or 'pulsebot run'.")
		return exitOK
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFEED\tHEALTH\tLAST SUCCESS\tFAILURES\tNEXT FETCH\tARTICLES\tLAST ERROR")
	for _, s := range srcs {
		name := s.Name
		if name == "" {
			name = s.URL
		}
		health := "healthy"
		switch {
		case !s.Active:
			health = "inactive"
		case s.LastStatus == "":
			health = "never fetched"
		case !s.Healthy():
			health = "failing"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%d\t%s\n", s.ID, truncate(name, 40), health, orDash(rfc3339(s.LastSuccessAt)),
			s.ConsecutiveFailures, orDash(rfc3339(s.NextFetchAt)), s.Articles, truncate(s.LastError, 80))
	}
	tw.Flush()
	return exitOK
}

// parseSince accepts Go durations and whole days ("7d").
func parseSince(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration (e.g. 24h, 90m, 7d)", s)
	}
	return d, nil
}

func (c *cli) printJSON(v any) int {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return c.fail(err)
	}
	return exitOK
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") && !strings.ContainsAny(word[len(word)-2:len(word)-1], "aeiou") {
		return strconv.Itoa(n) + " " + strings.TrimSuffix(word, "y") + "ies"
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func roundTo(x float64, places int) float64 {
	p, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', places, 64), 64)
	return p
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
