// Package discordtest is an in-process fake of Discord, faked at the wire,
// for end-to-end tests of pulsebot's bot: the REST API over httptest and the
// gateway over a real websocket, so the bot runs its own, unwrapped
// discordgo session against it.
//
// The fake answers GET /api/v{9,10}/gateway with its own ws:// URL and plays
// the gateway protocol: HELLO, IDENTIFY (token and intents checked, closes
// 4004/4013/4014 like Discord), READY and one GUILD_CREATE per configured
// guild, heartbeat ACKs, sequence numbers, RESUME with replay of missed
// dispatches, and INVALID_SESSION. On the REST side it implements the
// routes a slash-command bot uses: commands (bulk overwrite), interaction
// callbacks, the interaction webhook (edit @original, follow-ups), channel
// messages (JSON or multipart), DM channels, the bot user and application.
// Every request is recorded, and every message-like payload is checked
// against Discord's limits (2000-character content, embed limits, 25
// autocomplete choices …) and pulsebot's own rule that allowed_mentions
// carries "parse": [] so the bot never pings. A violation is reported with
// tb.Errorf, naming the request, and answered with Discord's 400. With
// Options.OpenAPISpec set, requests are also validated against Discord's
// OpenAPI description (see openapi.go for what cannot be).
//
// Waiting is done on channels (Until, WaitReady, Exchange.WaitEdit …),
// never by sleeping; ids are deterministic snowflakes.
//
// Usage, from a bot test:
//
//	srv := discordtest.New(t, discordtest.Options{Token: "test-token"})
//	dg, _ := discordgo.New("Bot test-token")
//	// The bot's PULSEBOT_DISCORD_URL transport: https://discord.com → srv.URL().
//	dg.Client = &http.Client{Transport: rewriteTo(srv.URL())}
//	if err := dg.Open(); err != nil { t.Fatal(err) }
//	t.Cleanup(func() { dg.Close() }) // after New, so it runs before the fake stops
//	ctx := t.Context()
//	if err := srv.WaitReady(ctx); err != nil { t.Fatal(err) }
//
//	ex, err := srv.Interact(ctx, discordtest.SlashCommand("pulse",
//		discordtest.Sub("show", discordtest.StringOpt("date", "2025-11-02"))))
//	if err != nil { t.Fatal(err) }
//	cb, _ := ex.Callback()           // the bot's POST …/callback
//	if cb.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
//		edit, err := ex.WaitEdit(ctx) // its PATCH …/messages/@original
//		…
//	}
//	for _, m := range srv.Messages() { … } // everything the bot said, checked
//
// To test reconnects, srv.DropConnection(ctx) and srv.WaitResumed(ctx, 1);
// to test REST failure handling, srv.FailNext("POST", "/channels/", 429, "").
//
// The package is test-only: it imports testing and is imported by the bot
// package's tests (and nothing else). It depends on discordgo only for the
// types it decodes recorded payloads into, and on gorilla/websocket and
// kin-openapi.
package discordtest
