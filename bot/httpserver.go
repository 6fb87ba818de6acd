package bot

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// HTTP interactions: Discord POSTs each interaction, signed with the
// application's ed25519 key, and takes the HTTP response as the callback.
const (
	// MaxInteractionBody is the largest request body /interactions reads;
	// real interactions are a few KiB.
	MaxInteractionBody = 64 << 10
	// MaxSignatureAge is how far a request's X-Signature-Timestamp may be
	// from now, either way, before it is refused as a replay (or a broken
	// clock).
	MaxSignatureAge = 5 * time.Minute
)

// httpServer serves /interactions (with a public key), /healthz and
// /metrics.
type httpServer struct {
	key    ed25519.PublicKey // nil: no /interactions
	a      *answerer
	flight *inflight
	work   context.Context
	gw     func() string // gateway state for /healthz
	log    *slog.Logger
	now    func() time.Time
}

func (h *httpServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", h.healthz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(h.a.m.reg, promhttp.HandlerOpts{}))
	if h.key != nil {
		mux.HandleFunc("POST /interactions", h.interactions)
	}
	return mux
}

// newHTTPServer has timeouts sized for interactions, which must be
// answered within 3 s anyway, and for a scraper.
func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// healthz reports whether the store answers (and the gateway's state, for
// information). 503 when the store doesn't.
func (h *httpServer) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status, code := "ok", http.StatusOK
	store := "ok"
	schema, _, err := h.a.b.Store.SchemaVersion(ctx)
	if err != nil {
		h.log.Warn("healthz: store unreachable", "err", err)
		status, store, code = "unavailable", "unreachable", http.StatusServiceUnavailable
	}
	writeJSON(w, code, map[string]any{"status": status, "store": store, "schema_version": schema, "gateway": h.gw()})
}

// reject refuses an HTTP interaction before any handler runs.
func (h *httpServer) reject(w http.ResponseWriter, code int, reason string) {
	h.a.m.rejected.WithLabelValues(reason).Inc()
	h.log.Info("http interaction rejected", "reason", reason, "status", code)
	http.Error(w, http.StatusText(code), code)
}

// interactions verifies, then answers, one HTTP interaction. Everything
// that can refuse a request (size, timestamp, signature) runs on the raw
// bytes, before JSON is parsed and before any handler can run.
func (h *httpServer) interactions(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > MaxInteractionBody {
		h.reject(w, http.StatusRequestEntityTooLarge, "too_large")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxInteractionBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			h.reject(w, http.StatusRequestEntityTooLarge, "too_large")
			return
		}
		h.reject(w, http.StatusBadRequest, "unreadable")
		return
	}
	ts := r.Header.Get("X-Signature-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		h.reject(w, http.StatusUnauthorized, "bad_timestamp")
		return
	}
	if age := h.now().Sub(time.Unix(sec, 0)); age > MaxSignatureAge || age < -MaxSignatureAge {
		h.reject(w, http.StatusUnauthorized, "stale_timestamp")
		return
	}
	sig, err := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize ||
		!ed25519.Verify(h.key, append([]byte(ts), body...), sig) {
		h.reject(w, http.StatusUnauthorized, "bad_signature")
		return
	}

	var raw discordgo.Interaction
	if err := json.Unmarshal(body, &raw); err != nil {
		h.reject(w, http.StatusBadRequest, "bad_json")
		return
	}
	if raw.Type == discordgo.InteractionPing {
		writeJSON(w, http.StatusOK, discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	in, err := FromDiscord(&raw)
	if err != nil {
		h.log.Warn("malformed interaction refused", "interaction_id", raw.ID, "type", int(raw.Type), "err", err)
		h.a.m.count("", "http", outcomeMalformed)
		h.reject(w, http.StatusBadRequest, "malformed")
		return
	}
	if !h.flight.begin() {
		h.a.m.count(in.Command, "http", outcomeShutdown)
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}

	// The answer runs in its own goroutine, because a deferred one goes on
	// (the edit) after this response is written. It hands the first
	// response over and learns whether writing it worked.
	type handoff struct {
		resp *discordgo.InteractionResponse
		done chan error
	}
	firsts := make(chan handoff)
	finished := make(chan struct{})
	go func() {
		defer h.flight.end()
		defer close(finished)
		defer h.a.recoverGoroutine("http interaction answer")
		h.a.answer(h.work, "http", in, func(ctx context.Context, resp *discordgo.InteractionResponse) error {
			ho := handoff{resp: resp, done: make(chan error, 1)}
			select {
			case firsts <- ho:
				return <-ho.done
			case <-r.Context().Done():
				return r.Context().Err()
			}
		})
	}()
	select {
	case ho := <-firsts:
		err := writeInteractionResponse(w, ho.resp)
		// Out on the wire before the answer goes on to edit it.
		if f, ok := w.(http.Flusher); ok && err == nil {
			f.Flush()
		}
		ho.done <- err
	case <-finished:
		// The answer ended without a first response (a recovered panic).
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	case <-r.Context().Done():
	}
}

// writeInteractionResponse writes a callback as an HTTP response: JSON,
// or multipart/form-data with payload_json when the reply has files.
func writeInteractionResponse(w http.ResponseWriter, resp *discordgo.InteractionResponse) error {
	if resp.Data != nil && len(resp.Data.Files) > 0 {
		ctype, body, err := discordgo.MultipartBodyWithJSON(resp, resp.Data.Files)
		if err != nil {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return err
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, err = w.Write(body)
		return err
	}
	return writeJSON(w, http.StatusOK, resp)
}

func writeJSON(w http.ResponseWriter, code int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(code)
	_, err = w.Write(b)
	return err
}
