package bot

import (
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Interaction outcomes, the values of the outcome label.
const (
	outcomeOK            = "ok"             // answered with the handler's reply
	outcomeInternalError = "internal_error" // answered, but the reply is "Internal error (ref …)"
	outcomeRespondFailed = "respond_failed" // Discord refused or never got the answer
	outcomeMalformed     = "malformed"      // refused before any handler ran
	outcomeShutdown      = "shutdown"       // arrived while shutting down, not answered
)

// metrics are the bot's Prometheus series, in a registry of their own (the
// global default registry is package state, shared by whatever links it).
type metrics struct {
	reg *prometheus.Registry

	interactions *prometheus.CounterVec   // command, transport, outcome
	latency      *prometheus.HistogramVec // command
	deferred     *prometheus.CounterVec   // command, reason
	rejected     *prometheus.CounterVec   // reason
	gatewayUp    prometheus.Gauge
	connects     prometheus.Counter
	disconnects  prometheus.Counter
	resumes      prometheus.Counter
	overwrites   prometheus.Counter
	deliveries   *prometheus.CounterVec // kind, outcome

	// known command paths ("pulse", "alerts add"): anything else is
	// counted as "unknown", so a forged or stale command can't grow the
	// label set.
	known map[string]bool
}

// newMetrics registers the bot's series (and the Go and process
// collectors) in reg; a nil reg gets a fresh registry.
func newMetrics(reg *prometheus.Registry, cmds []*discordgo.ApplicationCommand) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &metrics{
		reg: reg,
		interactions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pulsebot_interactions_total",
			Help: "Interactions received, by command, transport (gateway, http) and outcome.",
		}, []string{"command", "transport", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pulsebot_interaction_handler_seconds",
			Help:    "Time the command handler took to produce its reply.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5, 10, 30},
		}, []string{"command"}),
		deferred: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pulsebot_interactions_deferred_total",
			Help: "Command interactions answered with a deferred response, by reason (slow: marked slow; timer: not ready within the deferral deadline).",
		}, []string{"command", "reason"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pulsebot_http_interactions_rejected_total",
			Help: "HTTP interaction requests refused before any handler ran, by reason.",
		}, []string{"reason"}),
		gatewayUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "pulsebot_gateway_connected",
			Help: "1 while the Discord gateway connection is up.",
		}),
		connects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pulsebot_gateway_connects_total",
			Help: "Gateway connections established (the first one and every reconnect).",
		}),
		disconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pulsebot_gateway_disconnects_total",
			Help: "Gateway connections lost or closed.",
		}),
		resumes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pulsebot_gateway_resumes_total",
			Help: "Gateway sessions resumed after a reconnect.",
		}),
		overwrites: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pulsebot_command_overwrites_total",
			Help: "Bulk overwrites of the application commands sent to Discord.",
		}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pulsebot_deliveries_total",
			Help: "Attempts at posting alerts, follows, digests and notices, by kind and outcome (sent, retry, failed, dropped).",
		}, []string{"kind", "outcome"}),
		known: invocablePaths(cmds),
	}
	reg.MustRegister(m.interactions, m.latency, m.deferred, m.rejected,
		m.gatewayUp, m.connects, m.disconnects, m.resumes, m.overwrites, m.deliveries,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// label bounds a command path to the known set.
func (m *metrics) label(command string) string {
	if m.known[command] {
		return command
	}
	return "unknown"
}

func (m *metrics) count(command, transport, outcome string) {
	m.interactions.WithLabelValues(m.label(command), transport, outcome).Inc()
}

// outcomeOf classifies a reply Bot.Handle produced. Handle turns every
// unexpected error into "Internal error (ref …)" and logs the cause; that
// wording is the only mark such a reply carries.
func outcomeOf(r Reply) string {
	if r.Ephemeral && strings.HasPrefix(r.Content, "Internal error (ref ") {
		return outcomeInternalError
	}
	return outcomeOK
}

// invocablePaths lists every invocable path of a command set: "help",
// "alerts add", "group sub command".
func invocablePaths(cmds []*discordgo.ApplicationCommand) map[string]bool {
	out := map[string]bool{}
	var walk func(prefix string, opts []*discordgo.ApplicationCommandOption) bool
	walk = func(prefix string, opts []*discordgo.ApplicationCommandOption) bool {
		found := false
		for _, o := range opts {
			switch o.Type {
			case discordgo.ApplicationCommandOptionSubCommand:
				out[prefix+" "+o.Name] = true
				found = true
			case discordgo.ApplicationCommandOptionSubCommandGroup:
				walk(prefix+" "+o.Name, o.Options)
				found = true
			}
		}
		return found
	}
	for _, c := range cmds {
		if !walk(c.Name, c.Options) {
			out[c.Name] = true
		}
	}
	return out
}
