package discordtest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// specPath finds Discord's openapi.json or skips: without it there is
// nothing to validate against.
func specPath(t *testing.T) string {
	t.Helper()
	p := SpecPath(t)
	if p == "" {
		t.Skip("no openapi.json")
	}
	return p
}

// exchangeLog records the fake's responses as the bot's client sees them.
type exchangeLog struct {
	mu   sync.Mutex
	next http.RoundTripper
	log  []loggedExchange
}

type loggedExchange struct {
	req  *http.Request
	body []byte
	resp *http.Response
	rb   []byte
}

func (l *exchangeLog) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := l.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	rb, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	l.mu.Lock()
	l.log = append(l.log, loggedExchange{r, body, resp, rb})
	l.mu.Unlock()
	return resp, nil
}

// TestOpenAPIValidation sends what the bot will send through discordgo
// and checks the fake finds nothing wrong with it, that requests the spec
// forbids are flagged, and that the fake's own answers match the spec's
// response schemas.
func TestOpenAPIValidation(t *testing.T) {
	path := specPath(t)
	t.Parallel()
	rec := &recorder{TB: t}
	srv := New(rec, Options{OpenAPISpec: path})
	sp, err := loadSpec(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("spec load (once per test binary): %v", sp.loadTime)

	dg := newSession(t, srv, srv.Options().Token)
	base, _ := url.Parse(srv.URL())
	xlog := &exchangeLog{next: rewrite{base}}
	dg.Client.Transport = xlog
	opts := srv.Options()
	ch := opts.Guilds[0].Channels[0].ID

	steps := []struct {
		name string
		run  func() error
	}{
		{"gateway/bot", func() error { _, err := dg.GatewayBot(); return err }},
		{"users/@me", func() error { _, err := dg.User("@me"); return err }},
		{"bulk overwrite", func() error {
			_, err := dg.ApplicationCommandBulkOverwrite(opts.AppID, "", []*discordgo.ApplicationCommand{{
				Name: "pulse", Description: "Market Pulse",
				Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: "date", Description: "day", Autocomplete: true}},
			}})
			return err
		}},
		{"guild commands", func() error { _, err := dg.ApplicationCommands(opts.AppID, opts.Guilds[0].ID); return err }},
		{"channel message", func() error {
			_, err := dg.ChannelMessageSendComplex(ch, &discordgo.MessageSend{
				Content: "Pulse", AllowedMentions: noMentions(),
				Embeds: []*discordgo.MessageEmbed{{Title: "6.2", Fields: []*discordgo.MessageEmbedField{{Name: "BTC", Value: "+2%", Inline: true}}, Footer: &discordgo.MessageEmbedFooter{Text: "pulsebot"}}},
			})
			return err
		}},
		{"multipart message", func() error {
			_, err := dg.ChannelMessageSendComplex(ch, &discordgo.MessageSend{
				Content: "chart", AllowedMentions: noMentions(),
				Files: []*discordgo.File{{Name: "chart.png", ContentType: "image/png", Reader: strings.NewReader("png")}},
			})
			return err
		}},
		{"DM", func() error {
			dm, err := dg.UserChannelCreate(DefaultUser().ID)
			if err != nil {
				return err
			}
			_, err = dg.ChannelMessageSendComplex(dm.ID, &discordgo.MessageSend{Content: "alert", AllowedMentions: noMentions()})
			return err
		}},
		{"interaction lifecycle", func() error {
			ex := srv.Prepare(SlashCommand("pulse"))
			in := &discordgo.Interaction{ID: ex.Interaction.ID, AppID: opts.AppID, Token: ex.Interaction.Token}
			if err := dg.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
				return err
			}
			content := "done"
			if _, err := dg.InteractionResponseEdit(in, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()}); err != nil {
				return err
			}
			if _, err := dg.InteractionResponse(in); err != nil {
				return err
			}
			_, err := dg.FollowupMessageCreate(in, true, &discordgo.WebhookParams{Content: "more", AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral})
			return err
		}},
		{"autocomplete result", func() error {
			ex := srv.Prepare(Autocomplete("pulse", Focused("date", "2025")))
			in := &discordgo.Interaction{ID: ex.Interaction.ID, AppID: opts.AppID, Token: ex.Interaction.Token}
			return dg.InteractionRespond(in, &discordgo.InteractionResponse{
				Type: discordgo.InteractionApplicationCommandAutocompleteResult,
				Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "2025-11-02", Value: "2025-11-02"}}},
			})
		}},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			t.Errorf("%s: %v", st.name, err)
		}
	}
	if errs := rec.errors(); len(errs) > 0 {
		t.Errorf("valid traffic flagged:\n%s", strings.Join(errs, "\n"))
	}

	// The fake's answers, checked against the spec's response schemas.
	xlog.mu.Lock()
	log := append([]loggedExchange(nil), xlog.log...)
	xlog.mu.Unlock()
	for _, x := range log {
		if msg := validateResponse(sp, x); msg != "" {
			t.Errorf("fake's answer to %s %s does not match the spec: %s", x.req.Method, x.req.URL.Path, msg)
		}
	}

	// Requests the spec forbids, sent raw.
	ex := srv.Prepare(SlashCommand("pulse"))
	bad := []struct {
		name, method, path, body string
	}{
		{"unknown callback type", "POST", "/api/v9/interactions/" + ex.Interaction.ID + "/" + ex.Interaction.Token + "/callback", `{"type":99}`},
		{"content not a string", "POST", "/api/v9/channels/" + ch + "/messages", `{"content":5,"allowed_mentions":{"parse":[]}}`},
	}
	for _, b := range bad {
		before := len(rec.errors())
		status, _ := do(t, srv, b.method, b.path, "Bot "+opts.Token, b.body)
		got := rec.errors()[before:]
		if status != http.StatusBadRequest || len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), "OpenAPI") {
			t.Errorf("%s: status %d, flagged %q; want 400 and an OpenAPI violation", b.name, status, got)
		}
	}
}

func validateResponse(sp *spec, x loggedExchange) string {
	m := apiPrefix.FindStringSubmatch(x.req.URL.Path)
	if m == nil {
		return "not an API path"
	}
	u := specBase + m[2]
	if x.req.URL.RawQuery != "" {
		u += "?" + x.req.URL.RawQuery
	}
	req, _ := http.NewRequest(x.req.Method, u, bytes.NewReader(x.body))
	req.Header = x.req.Header.Clone()
	route, params, err := sp.router.FindRoute(req)
	if err != nil {
		return "" // not in the spec
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}},
		Status: x.resp.StatusCode, Header: x.resp.Header, Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	in.SetBodyBytes(x.rb)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return summarize(err)
	}
	return ""
}
