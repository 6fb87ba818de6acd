package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// restState is everything the REST side remembers. Guarded by Server.mu.
type restState struct {
	routes     []route
	channels   map[string]channelInfo
	dms        map[string]string // recipient user id -> DM channel id
	users      map[string]User   // users the fake has seen, for DM recipients
	requests   []Request
	messages   []Message
	failures   []Failure
	random     randomFailure // FailRandomly
	randomHits int
	commands   map[string][]map[string]any // "" = global, else guild id
	overwrite  int
	nonceHits  int // messages not created because their nonce repeated (enforce_nonce)
	// nonceFloor: only messages from this index on remember their nonce
	// (ForgetNonces stands for Discord's few-minute window passing).
	nonceFloor int
	exchanges  map[string]*Exchange // by interaction token
}

func (r *restState) init() {
	r.routes = restRoutes()
	r.channels = map[string]channelInfo{}
	r.dms = map[string]string{}
	r.users = map[string]User{}
	r.commands = map[string][]map[string]any{}
	r.exchanges = map[string]*Exchange{}
}

type channelInfo struct {
	id, guildID, name, parentID, topic string
	typ, position                      int
	recipient                          string // DM channels
}

// route is one REST endpoint. pattern is version-less, with {name}
// segments; auth routes need "Authorization: Bot <token>".
type route struct {
	method, pattern string
	auth            bool
	handle          func(*call)
}

func restRoutes() []route {
	return []route{
		{"GET", "/gateway", false, (*call).getGateway},
		{"GET", "/gateway/bot", true, (*call).getGatewayBot},
		{"GET", "/users/@me", true, (*call).getMe},
		{"GET", "/oauth2/applications/@me", true, (*call).getApplication},
		{"GET", "/applications/@me", true, (*call).getApplication},
		{"GET", "/applications/{application_id}/commands", true, (*call).getCommands},
		{"PUT", "/applications/{application_id}/commands", true, (*call).putCommands},
		{"POST", "/applications/{application_id}/commands", true, (*call).postCommand},
		{"GET", "/applications/{application_id}/guilds/{guild_id}/commands", true, (*call).getCommands},
		{"PUT", "/applications/{application_id}/guilds/{guild_id}/commands", true, (*call).putCommands},
		{"POST", "/applications/{application_id}/guilds/{guild_id}/commands", true, (*call).postCommand},
		{"POST", "/interactions/{interaction_id}/{interaction_token}/callback", false, (*call).postCallback},
		{"GET", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", false, (*call).getWebhookMessage},
		{"PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", false, (*call).patchWebhookMessage},
		{"DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", false, (*call).deleteWebhookMessage},
		{"GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", false, (*call).getWebhookMessage},
		{"PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", false, (*call).patchWebhookMessage},
		{"DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", false, (*call).deleteWebhookMessage},
		{"POST", "/webhooks/{webhook_id}/{webhook_token}", false, (*call).postFollowup},
		{"GET", "/channels/{channel_id}", true, (*call).getChannel},
		{"POST", "/channels/{channel_id}/messages", true, (*call).postChannelMessage},
		{"GET", "/channels/{channel_id}/messages", true, (*call).getChannelMessages},
		{"POST", "/users/@me/channels", true, (*call).postDMChannel},
	}
}

// match finds the route for a version-less path. pathKnown reports whether
// some route has that path with another method (405 rather than 404).
func (s *Server) match(method, path string) (rt *route, params map[string]string, pathKnown bool) {
	segs := strings.Split(path, "/")
	for i := range s.rest.routes {
		r := &s.rest.routes[i]
		p, ok := matchPattern(r.pattern, segs)
		if !ok {
			continue
		}
		if r.method == method {
			return r, p, true
		}
		pathKnown = true
	}
	return nil, nil, pathKnown
}

func matchPattern(pattern string, segs []string) (map[string]string, bool) {
	ps := strings.Split(pattern, "/")
	if len(ps) != len(segs) {
		return nil, false
	}
	params := map[string]string{}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return nil, false
			}
			params[strings.Trim(p, "{}")] = segs[i]
		} else if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}

// apiPrefix matches the versioned API prefix discordgo (v9) and newer
// clients (v10) use.
var apiPrefix = regexp.MustCompile(`^/api/v(9|10)(/.*)$`)

// call is one REST request being answered.
type call struct {
	s       *Server
	w       http.ResponseWriter
	r       *http.Request
	params  map[string]string
	payload json.RawMessage
	files   []File
}

// where names the request in test errors: method and path as sent.
func (c *call) where() string { return c.r.Method + " " + c.r.URL.Path }

func (c *call) json(status int, v any) {
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(status)
	json.NewEncoder(c.w).Encode(v)
}

// fail answers with Discord's error body.
func (c *call) fail(status, code int, message string) {
	c.json(status, map[string]any{"message": message, "code": code})
}

func (c *call) noContent() { c.w.WriteHeader(http.StatusNoContent) }

// reject reports violations as test errors and answers 400 as Discord would.
func (c *call) reject(vs []violation) {
	c.s.report(c.where(), vs)
	c.json(http.StatusBadRequest, formErrors(vs))
}

func (s *Server) report(where string, vs []violation) {
	for _, v := range vs {
		s.tb.Errorf("discordtest: %s: %s", where, v)
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 26<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	payload, files, bodyErr := decodeBody(r.Header.Get("Content-Type"), body)
	rec := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body, JSON: payload, Files: files}
	var path string
	if m := apiPrefix.FindStringSubmatch(r.URL.Path); m != nil {
		path = m[2]
	}

	s.mu.Lock()
	var rt *route
	var params map[string]string
	var pathKnown bool
	if path != "" {
		rt, params, pathKnown = s.match(r.Method, path)
	}
	if rt != nil {
		rec.Route = rt.method + " " + rt.pattern
	}
	idx := len(s.rest.requests)
	s.rest.requests = append(s.rest.requests, rec)
	s.notifyLocked()
	s.mu.Unlock()

	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		s.mu.Lock()
		s.rest.requests[idx].Status = sw.status
		s.notifyLocked()
		s.mu.Unlock()
	}()
	c := &call{s: s, w: sw, r: r, params: params, payload: payload, files: files}

	switch {
	case rt == nil && pathKnown:
		c.fail(http.StatusMethodNotAllowed, 0, "405: Method Not Allowed")
		return
	case rt == nil:
		c.fail(http.StatusNotFound, 0, "404: Not Found")
		return
	case rt.auth && r.Header.Get("Authorization") != "Bot "+s.opts.Token:
		c.fail(http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	if f, ok := s.takeFailure(r.Method, path); ok {
		f.write(c)
		return
	}
	if bodyErr != nil {
		s.tb.Errorf("discordtest: %s: %v", c.where(), bodyErr)
		c.fail(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	if s.spec != nil {
		if vs := s.spec.validate(r, body); len(vs) > 0 {
			c.reject(vs)
			return
		}
	}
	rt.handle(c)
}

func (c *call) getGateway() { c.json(http.StatusOK, map[string]any{"url": c.s.wsURL}) }

func (c *call) getGatewayBot() {
	c.json(http.StatusOK, map[string]any{
		"url": c.s.wsURL, "shards": 1,
		"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
	})
}

func (c *call) getMe() { c.json(http.StatusOK, c.s.botUserJSON(true)) }

func (c *call) getApplication() {
	s := c.s
	owner := userJSON(DefaultUser())
	c.json(http.StatusOK, map[string]any{
		"id": s.opts.AppID, "name": s.opts.BotName, "icon": nil, "description": "", "summary": "",
		"type": nil, "hook": true, "bot_public": false, "bot_require_code_grant": false,
		"verify_key": fmt.Sprintf("%x", []byte(s.PublicKey())), "flags": s.opts.ApplicationFlags,
		"owner": owner, "team": nil, "bot": s.botUserJSON(false), "redirect_uris": []string{},
		"interactions_endpoint_url": nil, "role_connections_verification_url": nil,
		"tags": []string{}, "integration_types_config": map[string]any{"0": map[string]any{}},
		"approximate_guild_count": len(s.opts.Guilds), "is_monetized": false, "is_verified": false,
		"is_discoverable": false, "storefront_available": false, "explicit_content_filter": 0,
	})
}

func (c *call) getChannel() {
	s := c.s
	s.mu.Lock()
	ch, ok := s.rest.channels[c.params["channel_id"]]
	var body map[string]any
	if ok {
		body = s.channelJSON(ch, false)
	}
	s.mu.Unlock()
	if !ok {
		c.fail(http.StatusNotFound, 10003, "Unknown Channel")
		return
	}
	c.json(http.StatusOK, body)
}

func (c *call) postChannelMessage() {
	s := c.s
	id := c.params["channel_id"]
	s.mu.Lock()
	ch, ok := s.rest.channels[id]
	s.mu.Unlock()
	if !ok {
		c.fail(http.StatusNotFound, 10003, "Unknown Channel")
		return
	}
	payload, ok := c.messagePayload(true)
	if !ok {
		return
	}
	m := Message{Kind: KindChannel, Method: c.r.Method, Path: c.r.URL.Path, ChannelID: id, DM: ch.typ == 1, RecipientID: ch.recipient}
	decodeMessage(&m, payload, c.files)
	nonce, enforce := messageNonce(payload)
	s.mu.Lock()
	// enforce_nonce: a nonce the bot already used in this channel returns
	// that message and creates none (Discord checks the last few minutes;
	// the fake remembers them all).
	if enforce && nonce != "" {
		for _, old := range s.rest.messages[s.rest.nonceFloor:] {
			if old.Kind == KindChannel && old.ChannelID == id && old.Nonce == nonce {
				obj := s.messageObjectLocked(old, payloadState(old.Payload), false)
				obj["nonce"] = nonce
				s.rest.nonceHits++
				s.notifyLocked()
				s.mu.Unlock()
				c.json(http.StatusOK, obj)
				return
			}
		}
	}
	m.ID, m.Nonce = s.newID(), nonce
	s.rest.messages = append(s.rest.messages, m)
	obj := s.messageObjectLocked(m, payloadState(payload), false)
	if nonce != "" {
		obj["nonce"] = nonce
	}
	if ch.guildID != "" {
		obj["guild_id"] = ch.guildID
	}
	s.notifyLocked()
	s.mu.Unlock()
	c.json(http.StatusOK, obj)
}

// messageNonce reads a message payload's nonce (a string or an integer)
// and enforce_nonce.
func messageNonce(payload json.RawMessage) (nonce string, enforce bool) {
	var f struct {
		Nonce        json.RawMessage `json:"nonce"`
		EnforceNonce bool            `json:"enforce_nonce"`
	}
	if json.Unmarshal(payload, &f) != nil || len(f.Nonce) == 0 || isNull(f.Nonce) {
		return "", false
	}
	var str string
	if json.Unmarshal(f.Nonce, &str) != nil {
		str = string(f.Nonce)
	}
	return str, f.EnforceNonce
}

// ForgetNonces makes the fake forget the nonces of the messages posted so
// far, as Discord does after a few minutes: a repeated nonce then creates
// a new message.
func (s *Server) ForgetNonces() {
	s.mu.Lock()
	s.rest.nonceFloor = len(s.rest.messages)
	s.mu.Unlock()
}

// getChannelMessages lists a channel's messages, newest first, up to
// ?limit= (default 50, at most 100), older than ?before= when given. As on
// Discord, a fetched message has no nonce.
func (c *call) getChannelMessages() {
	s := c.s
	id := c.params["channel_id"]
	q := c.r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			c.fail(http.StatusBadRequest, 50035, "Invalid Form Body")
			return
		}
		limit = n
	}
	before := uint64(math.MaxUint64)
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			c.fail(http.StatusBadRequest, 50035, "Invalid Form Body")
			return
		}
		before = n
	}
	s.mu.Lock()
	if _, ok := s.rest.channels[id]; !ok {
		s.mu.Unlock()
		c.fail(http.StatusNotFound, 10003, "Unknown Channel")
		return
	}
	out := []map[string]any{}
	for i := len(s.rest.messages) - 1; i >= 0 && len(out) < limit; i-- {
		m := s.rest.messages[i]
		if n, _ := strconv.ParseUint(m.ID, 10, 64); m.Kind == KindChannel && m.ChannelID == id && n < before {
			out = append(out, s.messageObjectLocked(m, payloadState(m.Payload), false))
		}
	}
	s.mu.Unlock()
	c.json(http.StatusOK, out)
}

// NonceHits counts channel messages that were not created because their
// nonce repeated one the bot had used (enforce_nonce).
func (s *Server) NonceHits() int { return s.counter(func() int { return s.rest.nonceHits }) }

func (c *call) postDMChannel() {
	s := c.s
	var body struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(c.payload, &body); err != nil || body.RecipientID == "" {
		c.reject([]violation{required("recipient_id")})
		return
	}
	s.mu.Lock()
	id := s.dmChannelLocked(body.RecipientID)
	obj := s.channelJSON(s.rest.channels[id], false)
	s.notifyLocked()
	s.mu.Unlock()
	c.json(http.StatusOK, obj)
}

// dmChannelLocked returns the DM channel with a user, creating it once.
// s.mu must be held.
func (s *Server) dmChannelLocked(userID string) string {
	if id, ok := s.rest.dms[userID]; ok {
		return id
	}
	id := s.newID()
	s.rest.dms[userID] = id
	s.rest.channels[id] = channelInfo{id: id, typ: 1, recipient: userID}
	return id
}

// DMChannel returns the id of the DM channel with userID, creating it if
// the bot hasn't yet.
func (s *Server) DMChannel(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dmChannelLocked(userID)
}
