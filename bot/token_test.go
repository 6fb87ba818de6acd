package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/bot/discordtest"
)

// sentinel is the bot token of the hygiene test: distinctive, so any copy
// of it anywhere is found.
const sentinel = "Sentinel.Token.XYZ-7f3a9c"

// TestTokenNeverLeaks (acceptance 5) runs the bot with a sentinel token
// through startup (a failed gateway discovery, a failed registration whose
// error body quotes the token), answered and failed interactions over both
// transports, panics (in a handler, and in the transport's own goroutine,
// both with the token in the panic value), a refused token, Register
// errors, and shutdown. Then no log line, returned error, panic output or
// request Discord received (the Authorization header aside) holds the
// token, nor any interaction token.
func TestTokenNeverLeaks(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{Token: sentinel, Guilds: e2eGuilds()})
	st, pulses := e2eStore(t)
	logs := &logSink{}
	b := e2eBot(t, st, pulses, logs.handler(), sentinel)
	// A handler that panics; Bot.Handle recovers it and logs the value
	// through the Bot's logger.
	b.routes["following"] = route{handle: func(context.Context, *Interaction) (Reply, error) {
		panic("handler saw Bot " + sentinel)
	}}
	ctx := testCtx(t)

	// Startup: gateway discovery fails once (retried), and the bulk
	// overwrite is refused with a body that quotes the token.
	srv.FailNext("GET", "/gateway", http.StatusInternalServerError, "")
	srv.FailNext("PUT", "/applications/", http.StatusUnauthorized, `{"message":"401: Unauthorized (token Bot `+sentinel+`)","code":0}`)
	r := startServe(t, srv, b, ServeConfig{
		Token: sentinel, PublicKey: srv.PublicKey(), Log: slog.New(logs.handler()), retryBase: 1,
		beforeHandle: func(in *Interaction) {
			if in.Command == "status" {
				panic(fmt.Errorf("transport hook saw %s", sentinel))
			}
		},
	}, true)
	if srv.Connections() != 1 || srv.CommandOverwrites() != 0 {
		t.Errorf("connections %d, overwrites %d; want 1 and 0 (refused)", srv.Connections(), srv.CommandOverwrites())
	}

	var tokens []string // interaction tokens, secret too
	for _, transport := range []string{"gateway", "http"} {
		guild, channel := guildGateway, chanGateway
		if transport == "http" {
			guild, channel = guildHTTP, chanHTTP
		}
		where := discordtest.InGuild(guild, channel)
		for _, cmd := range []string{"following", "status"} {
			a := r.interact(t, ctx, transport, discordtest.SlashCommand(cmd, where))
			tokens = append(tokens, a.token)
			if !a.ephemeral() || !strings.HasPrefix(a.final.Content, "Internal error (ref ") {
				t.Errorf("%s /%s: %q (ephemeral %v), want an ephemeral internal error", transport, cmd, a.final.Content, a.ephemeral())
			}
		}
	}
	// Discord fails answers: a gateway callback, then (both transports) the
	// edit or delete that ends a deferred /pulse. One at a time, so each
	// failure meets the request it was meant for.
	failed := 0
	send := func(transport, cmd, guild, channel string) {
		t.Helper()
		in := discordtest.SlashCommand(cmd, discordtest.InGuild(guild, channel))
		var ex *discordtest.Exchange
		var err error
		if transport == "gateway" {
			ex, err = srv.Send(in)
		} else {
			ex, err = srv.PostInteraction(ctx, r.endpoint, in)
		}
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, ex.Interaction.Token)
		failed++
		if err := logs.waitFor(ctx, "interaction answer failed", failed); err != nil {
			t.Fatal(err)
		}
	}
	srv.FailNext("POST", "/interactions/", http.StatusInternalServerError, "")
	send("gateway", "help", guildGateway, chanGateway)
	srv.FailNext("", "/webhooks/", http.StatusInternalServerError, `{"message":"upstream saw `+sentinel+`","code":0}`)
	send("gateway", "pulse", guildGateway, chanGateway)
	srv.FailNext("", "/webhooks/", http.StatusServiceUnavailable, "")
	send("http", "pulse", guildHTTP, chanHTTP)

	// Register: refused, and its error returned.
	srv.FailNext("PUT", "/applications/", http.StatusUnauthorized, `{"message":"bad token `+sentinel+`","code":0}`)
	regErr := Register(ctx, b, ServeConfig{Token: sentinel, DiscordURL: srv.URL(), Log: slog.New(logs.handler())}, "")
	var de *DiscordError
	if !errors.As(regErr, &de) || de.Status != http.StatusUnauthorized {
		t.Errorf("Register = %v, want a 401 DiscordError", regErr)
	}
	// A token the gateway refuses: Serve gives up with an error.
	wrong := sentinel + "-wrong"
	badErr := Serve(ctx, b, ServeConfig{Token: wrong, DiscordURL: srv.URL(), Log: slog.New(logs.handler())})
	if !errors.Is(badErr, errFatalGateway) {
		t.Errorf("Serve with a refused token = %v, want errFatalGateway", badErr)
	}
	stopErr := r.stop()

	// Nothing above holds the token.
	secrets := append([]string{sentinel, wrong}, tokens...)
	check := func(what, text string) {
		t.Helper()
		for _, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds a secret (%.12s…):\n%s", what, secret, text)
			}
		}
	}
	for _, err := range []error{regErr, badErr, stopErr} {
		if err != nil {
			check("error", err.Error())
			check("error %+v", fmt.Sprintf("%+v", err))
			check("error %#v", fmt.Sprintf("%#v", err))
		}
	}
	cfg := r.cfg
	check("ServeConfig %v", fmt.Sprintf("%v", cfg))
	check("ServeConfig %+v", fmt.Sprintf("%+v", cfg))
	check("ServeConfig %#v", fmt.Sprintf("%#v", cfg))
	check("ServeConfig %s", fmt.Sprintf("%s", &cfg))
	slog.New(logs.handler()).Info("config", "cfg", cfg) // the plain handler: LogValue alone must redact
	log := logs.String()
	check("log", log)
	// Interaction tokens belong in the paths of requests to Discord; the
	// bot token doesn't.
	secrets = secrets[:2]
	for _, req := range srv.Requests() {
		check("request "+req.Method+" path", req.Path+"?"+req.RawQuery)
		check("request "+req.Method+" "+req.Path+" body", string(req.Body))
		for k, vs := range req.Header {
			if k == "Authorization" {
				if vs[0] != "Bot "+sentinel && vs[0] != "Bot "+wrong {
					t.Errorf("Authorization = %q", vs[0])
				}
				continue
			}
			check("header "+k, strings.Join(vs, ","))
		}
	}
	// And the test was not vacuous: the token did pass through the
	// redaction, from each source.
	for _, want := range []string{
		"handler saw Bot [redacted]",               // Bot.Handle's recovered panic, through the Bot's logger
		"transport hook saw [redacted]",            // the transport's recovered panic …
		`"stack":"goroutine `,                      // … with its stack
		`"msg":"gateway connect failed, retrying"`, // startup
		`"msg":"commands not registered"`,          // registration refused
		"(token Bot [redacted])",                   // … with Discord's message scrubbed
		`"msg":"interaction answer failed"`,        // answers refused
		"upstream saw [redacted]",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	if !strings.Contains(regErr.Error(), "[redacted]") {
		t.Errorf("Register error %q: the token in Discord's message was not replaced", regErr)
	}
}

// TestRedact: the pieces of the hygiene on their own. A discordgo REST
// error keeps the request (Authorization header included) and Discord's
// body; a transport error names the URL, interaction token included.
// restError keeps neither; RedactHandler scrubs whatever reaches a log.
func TestRedact(t *testing.T) {
	red := newRedactor(sentinel)
	hook := "/api/v9/webhooks/1300000000000000001/aW50ZXJhY3Rpb246MTIzNDU2Nzg5OmRpc2NvcmR0ZXN0/messages/@original"
	req, _ := http.NewRequest("PATCH", "https://discord.com"+hook, nil)
	req.Header.Set("Authorization", "Bot "+sentinel)
	rest := &discordgo.RESTError{
		Request:      req,
		Response:     &http.Response{StatusCode: 403, Status: "403 Forbidden"},
		ResponseBody: []byte(`{"message":"Missing Access for ` + sentinel + `","code":50001}`),
		Message:      &discordgo.APIErrorMessage{Code: 50001, Message: "Missing Access for " + sentinel},
	}
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"rest error", fmt.Errorf("wrapped: %w", rest), "discord: edit: HTTP 403: Missing Access for [redacted] (code 50001)"},
		{"transport error", &url.Error{Op: "Patch", URL: "https://discord.com" + hook, Err: errors.New("connection refused")}, "discord: edit: Patch: connection refused"},
		{"context", &url.Error{Op: "Patch", URL: "https://discord.com" + hook, Err: context.DeadlineExceeded}, "discord: edit: Patch: context deadline exceeded"},
		{"other", errors.New("Exceeded Max retries HTTP 502 on " + hook), "discord: edit: Exceeded Max retries HTTP 502 on /api/v9/webhooks/1300000000000000001/[token]/messages/@original"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := restError(red, "edit", tt.err)
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				if strings.Contains(s, sentinel) || strings.Contains(s, "aW50ZXJhY3Rpb24") {
					t.Errorf("leaks: %s", s)
				}
			}
			if err.Error() != tt.want {
				t.Errorf("got %q, want %q", err, tt.want)
			}
		})
	}
	if err := restError(red, "edit", &url.Error{Op: "Patch", URL: hook, Err: context.DeadlineExceeded}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v: errors.Is(context.DeadlineExceeded) = false", err)
	}

	var sink logSink
	log := slog.New(RedactHandler(sink.handler(), sentinel)).With("token", sentinel).WithGroup("g")
	log.Info("saw "+sentinel, "err", rest, "url", "https://discord.com"+hook,
		slog.Group("nested", "v", []byte(sentinel)), "valuer", secretValuer{})
	out := sink.String()
	if strings.Contains(out, sentinel) || strings.Contains(out, "aW50ZXJhY3Rpb24") {
		t.Errorf("log leaks: %s", out)
	}
	if strings.Count(out, "[redacted]") < 5 || !strings.Contains(out, "/[token]") {
		t.Errorf("log = %s, want every value redacted", out)
	}
}

type secretValuer struct{}

func (secretValuer) LogValue() slog.Value { return slog.StringValue("valuer " + sentinel) }
