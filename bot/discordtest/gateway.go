package discordtest

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// gatewayPath is where the fake's websocket gateway listens. GET /gateway
// answers with it, and discordgo appends "?v=9&encoding=json".
const gatewayPath = "/ws"

// Gateway close codes the fake uses, with Discord's reasons.
const (
	CloseUnknownOpcode        = 4001
	CloseDecodeError          = 4002
	CloseNotAuthenticated     = 4003
	CloseAuthenticationFailed = 4004
	CloseAlreadyAuthenticated = 4005
	CloseInvalidAPIVersion    = 4012
	CloseInvalidIntents       = 4013
	CloseDisallowedIntents    = 4014
)

// gatewayState is the one gateway session the fake keeps (a bot runs one
// shard here). Guarded by Server.mu.
type gatewayState struct {
	conns   map[*gwConn]struct{}
	live    *gwConn // connection dispatches go to; nil while disconnected
	session string  // current session id; "" before the first IDENTIFY
	nSess   int
	seq     int64
	log     []dispatch // every dispatch of the session, for RESUME replay

	identifies, resumes, invalidSessions int
	heartbeats, connections              int
	readySession                         string // session whose READY burst has been written
	intents                              int
}

type dispatch struct {
	seq int64
	raw []byte
}

// gwConn is one websocket connection. wmu orders writes: it is taken while
// Server.mu is held (never the reverse), so a burst of dispatches (READY and
// GUILD_CREATEs, a RESUME replay) reaches the wire before any later one.
type gwConn struct {
	ws      *websocket.Conn
	wmu     sync.Mutex
	version string
	authed  bool // touched only by the connection's read loop
	beats   int  // heartbeats received; guarded by Server.mu
}

// frame is a gateway payload. Discord always sends all four keys, with s and
// t null outside dispatches.
type frame struct {
	Op int     `json:"op"`
	D  any     `json:"d"`
	S  *int64  `json:"s"`
	T  *string `json:"t"`
}

func (c *gwConn) writeLocked(b []byte) error {
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

func (c *gwConn) send(f frame) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.writeLocked(b)
}

// closeWith sends a close frame with a Discord close code, then drops the
// connection, as Discord does for protocol errors.
func (c *gwConn) closeWith(code int, text string) {
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.ws.Close()
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered with an HTTP error
	}
	c := &gwConn{ws: ws, version: r.URL.Query().Get("v")}
	s.mu.Lock()
	if s.gw.conns == nil {
		s.gw.conns = make(map[*gwConn]struct{})
	}
	s.gw.conns[c] = struct{}{}
	s.gw.connections++
	s.notifyLocked()
	s.mu.Unlock()
	defer func() {
		ws.Close()
		s.mu.Lock()
		delete(s.gw.conns, c)
		if s.gw.live == c {
			s.gw.live = nil
		}
		s.notifyLocked()
		s.mu.Unlock()
	}()

	if c.version != "9" && c.version != "10" {
		c.closeWith(CloseInvalidAPIVersion, "Invalid API version.")
		return
	}
	if enc := r.URL.Query().Get("encoding"); enc != "" && enc != "json" {
		c.closeWith(CloseDecodeError, "Error while decoding payload.")
		return
	}
	hello := map[string]any{"heartbeat_interval": s.opts.HeartbeatInterval.Milliseconds(), "_trace": trace()}
	if c.send(frame{Op: 10, D: hello}) != nil {
		return
	}
	s.readLoop(c)
}

func trace() []string { return []string{`["discordtest-gateway",{"micros":0}]`} }

func (s *Server) readLoop(c *gwConn) {
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		var p struct {
			Op *int            `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if json.Unmarshal(data, &p) != nil || p.Op == nil {
			c.closeWith(CloseDecodeError, "Error while decoding payload.")
			return
		}
		var ok bool
		switch *p.Op {
		case 1:
			ok = s.heartbeat(c)
		case 2:
			ok = s.identify(c, p.D)
		case 6:
			ok = s.resume(c, p.D)
		case 3, 4, 8: // presence, voice state, request guild members: accepted, not acted on
			ok = c.authed
			if !ok {
				c.closeWith(CloseNotAuthenticated, "Not authenticated.")
			}
		default:
			c.closeWith(CloseUnknownOpcode, "Unknown opcode.")
		}
		if !ok {
			return
		}
	}
}

func (s *Server) heartbeat(c *gwConn) bool {
	if c.send(frame{Op: 11}) != nil {
		return false
	}
	s.mu.Lock()
	s.gw.heartbeats++
	c.beats++
	s.notifyLocked()
	s.mu.Unlock()
	return true
}

func (s *Server) tokenOK(tok string) bool {
	return tok == s.opts.Token || tok == "Bot "+s.opts.Token
}

// identify starts a new session: READY, then one GUILD_CREATE per guild.
func (s *Server) identify(c *gwConn, d json.RawMessage) bool {
	var id struct {
		Token   string `json:"token"`
		Intents *int   `json:"intents"`
	}
	switch {
	case c.authed:
		c.closeWith(CloseAlreadyAuthenticated, "Already authenticated.")
		return false
	case json.Unmarshal(d, &id) != nil:
		c.closeWith(CloseDecodeError, "Error while decoding payload.")
		return false
	case !s.tokenOK(id.Token):
		c.closeWith(CloseAuthenticationFailed, "Authentication failed.")
		return false
	case id.Intents == nil || *id.Intents < 0:
		c.closeWith(CloseInvalidIntents, "Invalid intent(s).")
		return false
	case *id.Intents&privilegedIntents&^s.opts.PrivilegedIntents != 0:
		c.closeWith(CloseDisallowedIntents, "Disallowed intent(s).")
		return false
	}
	c.authed = true

	s.mu.Lock()
	s.gw.identifies++
	s.gw.intents = *id.Intents
	s.gw.nSess++
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/session/%d", s.opts.AppID, s.gw.nSess))
	s.gw.session = fmt.Sprintf("%x", sum[:16])
	s.gw.seq = 0
	s.gw.log = nil
	s.gw.live = c
	burst := [][]byte{s.appendDispatchLocked("READY", s.readyPayload(c.version))}
	for _, g := range s.opts.Guilds {
		burst = append(burst, s.appendDispatchLocked("GUILD_CREATE", s.guildCreatePayload(g)))
	}
	session := s.gw.session
	c.wmu.Lock()
	s.notifyLocked()
	s.mu.Unlock()
	err := writeAll(c, burst)
	c.wmu.Unlock()
	if err != nil {
		return false
	}
	s.mu.Lock()
	if s.gw.session == session {
		s.gw.readySession = session
	}
	s.notifyLocked()
	s.mu.Unlock()
	return true
}

// resume replays the dispatches the client missed and sends RESUMED, or
// answers INVALID_SESSION (op 9, d=false) for an unknown session or a
// sequence number from the future.
func (s *Server) resume(c *gwConn, d json.RawMessage) bool {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if json.Unmarshal(d, &r) != nil {
		c.closeWith(CloseDecodeError, "Error while decoding payload.")
		return false
	}
	if !s.tokenOK(r.Token) {
		c.closeWith(CloseAuthenticationFailed, "Authentication failed.")
		return false
	}
	s.mu.Lock()
	if r.SessionID == "" || r.SessionID != s.gw.session || r.Seq > s.gw.seq || r.Seq < 0 {
		s.gw.invalidSessions++
		s.notifyLocked()
		s.mu.Unlock()
		return c.send(frame{Op: 9, D: false}) == nil
	}
	var burst [][]byte
	for _, e := range s.gw.log {
		if e.seq > r.Seq {
			burst = append(burst, e.raw)
		}
	}
	burst = append(burst, s.appendDispatchLocked("RESUMED", map[string]any{"_trace": trace()}))
	s.gw.live = c
	c.authed = true
	session := s.gw.session
	c.wmu.Lock()
	s.mu.Unlock()
	err := writeAll(c, burst)
	c.wmu.Unlock()
	if err != nil {
		return false
	}
	s.mu.Lock()
	if s.gw.session == session {
		s.gw.resumes++
	}
	s.notifyLocked()
	s.mu.Unlock()
	return true
}

func writeAll(c *gwConn, frames [][]byte) error {
	for _, b := range frames {
		if err := c.writeLocked(b); err != nil {
			return err
		}
	}
	return nil
}

// appendDispatchLocked numbers a dispatch, logs it for RESUME and returns its
// encoding. s.mu must be held.
func (s *Server) appendDispatchLocked(event string, d any) []byte {
	s.gw.seq++
	seq := s.gw.seq
	b, err := json.Marshal(frame{Op: 0, D: d, S: &seq, T: &event})
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode %s: %v", event, err)) // our own payloads always encode
	}
	s.gw.log = append(s.gw.log, dispatch{seq: seq, raw: b})
	return b
}

// ErrNoSession is returned by Dispatch and Interact before the bot has
// identified on the gateway.
var ErrNoSession = errors.New("discordtest: no gateway session (the bot has not identified)")

// Dispatch sends a dispatch event (op 0) with the next sequence number and
// returns that number. While the bot is disconnected the event is only
// logged; a RESUME replays it.
func (s *Server) Dispatch(event string, data any) (int64, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return 0, fmt.Errorf("discordtest: dispatch %s: %w", event, err)
	}
	s.mu.Lock()
	if s.gw.session == "" {
		s.mu.Unlock()
		return 0, ErrNoSession
	}
	b := s.appendDispatchLocked(event, json.RawMessage(raw))
	seq := s.gw.seq
	c := s.gw.live
	if c != nil {
		c.wmu.Lock()
	}
	s.notifyLocked()
	s.mu.Unlock()
	if c != nil {
		// A failed write is the client's loss to recover by RESUME, as with
		// Discord; the event stays in the log.
		c.writeLocked(b)
		c.wmu.Unlock()
	}
	return seq, nil
}

// DropConnection closes the live gateway connection abruptly (no close
// frame, as a network failure would), leaving the session resumable.
//
// It first waits until the connection is live and the bot has sent a
// heartbeat on it. discordgo v0.29 starts its heartbeat goroutine at the
// end of Open; if the connection drops before that goroutine's first write,
// the write fails later, after discordgo has already reconnected, and the
// stale goroutine closes the new connection. Real networks rarely drop a
// connection within milliseconds of opening it; tests would, every time.
func (s *Server) DropConnection(ctx context.Context) error {
	for {
		s.mu.Lock()
		c := s.gw.live
		if c != nil && c.beats > 0 {
			s.gw.live = nil
			s.notifyLocked()
			s.mu.Unlock()
			c.ws.NetConn().Close()
			return nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("discordtest: drop connection: wait for a live, heartbeating connection: %w", ctx.Err())
		}
	}
}

// InvalidateSession forgets the current session, as Discord does when a
// session times out: the bot's next RESUME is answered with INVALID_SESSION
// (op 9, d=false) and it must IDENTIFY again. Until it does, Dispatch
// returns ErrNoSession.
func (s *Server) InvalidateSession() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gw.session = ""
	s.gw.log = nil
	s.notifyLocked()
}

// WaitIdentified blocks until the bot has sent a valid IDENTIFY.
func (s *Server) WaitIdentified(ctx context.Context) error {
	return s.waitLocked(ctx, "IDENTIFY", func() bool { return s.gw.identifies > 0 })
}

// WaitReady blocks until READY and every GUILD_CREATE of the current
// session have been written to the bot.
func (s *Server) WaitReady(ctx context.Context) error {
	return s.waitLocked(ctx, "READY", func() bool { return s.gw.session != "" && s.gw.readySession == s.gw.session })
}

// WaitResumed blocks until n RESUMEs have succeeded (RESUMED written).
func (s *Server) WaitResumed(ctx context.Context, n int) error {
	return s.waitLocked(ctx, fmt.Sprintf("%d RESUMEs", n), func() bool { return s.gw.resumes >= n })
}

// Identifies counts accepted IDENTIFYs (new sessions).
func (s *Server) Identifies() int { return s.counter(func() int { return s.gw.identifies }) }

// Resumes counts successful RESUMEs.
func (s *Server) Resumes() int { return s.counter(func() int { return s.gw.resumes }) }

// InvalidSessions counts RESUMEs answered with INVALID_SESSION.
func (s *Server) InvalidSessions() int { return s.counter(func() int { return s.gw.invalidSessions }) }

// Heartbeats counts heartbeats received (and ACKed), all connections
// together.
func (s *Server) Heartbeats() int { return s.counter(func() int { return s.gw.heartbeats }) }

// Connections counts websocket connections accepted so far.
func (s *Server) Connections() int { return s.counter(func() int { return s.gw.connections }) }

// Intents is the intents bitfield of the last IDENTIFY.
func (s *Server) Intents() int { return s.counter(func() int { return s.gw.intents }) }

// SessionID is the current gateway session id ("" before IDENTIFY).
func (s *Server) SessionID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.session
}

// Sequence is the sequence number of the last dispatch.
func (s *Server) Sequence() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.seq
}

func (s *Server) counter(f func() int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return f()
}
