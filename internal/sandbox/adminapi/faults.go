package adminapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind names what an injected fault does.
type FaultKind string

// Fault kinds.
const (
	// FaultStatus answers with Status (e.g. 503 or 504) and a JSON
	// envelope, before authentication, as a failing front end would.
	FaultStatus FaultKind = "status"
	// FaultReset runs the request, then sends the status line, headers and
	// half of the body and resets the TCP connection.
	FaultReset FaultKind = "reset"
	// FaultLatency delays the request by a duration drawn from Latency.
	FaultLatency FaultKind = "latency"
)

// Fault is one injected misbehaviour. It fires on requests that match
// Routes and Cmdlets: for the next Count of them when Count > 0 (the fault
// is then removed), otherwise on each with Probability.
type Fault struct {
	Kind        FaultKind `json:"kind"`
	Status      int       `json:"status,omitempty"`
	Probability float64   `json:"probability,omitempty"`
	Count       int       `json:"count,omitempty"`
	// Routes limits the fault to these endpoints: InvokeCommand, $batch,
	// EXOModuleFile, EXOBanner, BasicInfo, or the entity set an entity
	// route starts with (Mailbox, Recipient, CasMailbox), case-insensitive;
	// empty means all.
	Routes []string `json:"routes,omitempty"`
	// Cmdlets limits the fault to requests whose X-CmdletName header (which
	// the module always sends) names one of these; empty means all.
	Cmdlets []string `json:"cmdlets,omitempty"`
	// Latency is the delay distribution of a latency fault.
	Latency *Latency `json:"latency,omitempty"`
}

// Latency is a delay distribution: "fixed" (Delay), "uniform" (between
// Min and Max) or "exponential" (mean Mean, capped at Max when set).
type Latency struct {
	Distribution string   `json:"distribution"`
	Delay        Duration `json:"delay,omitempty"`
	Min          Duration `json:"min,omitempty"`
	Max          Duration `json:"max,omitempty"`
	Mean         Duration `json:"mean,omitempty"`
}

func (f Fault) validate() error {
	switch f.Kind {
	case FaultStatus:
		if f.Status < 400 || f.Status > 599 {
			return fmt.Errorf("status fault needs a 4xx or 5xx status, got %d", f.Status)
		}
	case FaultReset:
	case FaultLatency:
		if f.Latency == nil {
			return errors.New("latency fault needs a latency distribution")
		}
		switch f.Latency.Distribution {
		case "fixed", "uniform", "exponential":
		default:
			return fmt.Errorf("unknown latency distribution %q (want fixed, uniform or exponential)", f.Latency.Distribution)
		}
		if f.Latency.Distribution == "uniform" && f.Latency.Max < f.Latency.Min {
			return errors.New("uniform latency needs min <= max")
		}
	default:
		return fmt.Errorf("unknown fault kind %q (want status, reset or latency)", f.Kind)
	}
	if f.Probability < 0 || f.Probability > 1 || f.Count < 0 {
		return errors.New("probability must be within [0,1] and count not negative")
	}
	return nil
}

func (f Fault) matches(route, cmdlet string) bool {
	if len(f.Routes) > 0 && !slices.ContainsFunc(f.Routes, func(r string) bool { return strings.EqualFold(r, route) }) {
		return false
	}
	if len(f.Cmdlets) > 0 && !slices.ContainsFunc(f.Cmdlets, func(c string) bool { return strings.EqualFold(c, cmdlet) }) {
		return false
	}
	return true
}

// draw picks a delay from the distribution.
func (l *Latency) draw(rng *rand.Rand) time.Duration {
	switch l.Distribution {
	case "uniform":
		span := int64(l.Max - l.Min)
		if span <= 0 {
			return time.Duration(l.Min)
		}
		return time.Duration(l.Min) + time.Duration(rng.Int64N(span+1))
	case "exponential":
		d := time.Duration(rng.ExpFloat64() * float64(l.Mean))
		if l.Max > 0 && d > time.Duration(l.Max) {
			d = time.Duration(l.Max)
		}
		return d
	}
	return time.Duration(l.Delay)
}

// faultPlan is what the injector decided for one request.
type faultPlan struct {
	delay  time.Duration
	status int  // 0: none
	reset  bool // cut the connection mid-body
}

// injector holds the fault list and the seeded PRNG. Decisions are made
// under one lock in arrival order, so a sequential client sees the same
// faults for the same seed.
type injector struct {
	mu     sync.Mutex
	faults []Fault
	rng    *rand.Rand
}

func newInjector(seed uint64, faults []Fault) *injector {
	return &injector{faults: slices.Clone(faults), rng: rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))}
}

// snapshot returns the faults still active (counts reflect what is left).
func (in *injector) snapshot() []Fault {
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.faults)
}

func (in *injector) plan(route, cmdlet string) faultPlan {
	in.mu.Lock()
	defer in.mu.Unlock()
	var p faultPlan
	kept := in.faults[:0]
	for _, f := range in.faults {
		fire, keep := false, true
		if f.matches(route, cmdlet) {
			if f.Count > 0 {
				f.Count--
				fire, keep = true, f.Count > 0
			} else {
				fire = f.Probability > 0 && in.rng.Float64() < f.Probability
			}
		}
		if keep {
			kept = append(kept, f)
		}
		if !fire {
			continue
		}
		switch f.Kind {
		case FaultLatency:
			p.delay += f.Latency.draw(in.rng)
		case FaultStatus:
			if p.status == 0 && !p.reset {
				p.status = f.Status
			}
		case FaultReset:
			if p.status == 0 {
				p.reset = true
			}
		}
	}
	in.faults = kept
	return p
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// faultEnvelope is the body of an injected gateway failure: JSON, so the
// module's retry logic (which needs a readable body) engages.
func faultEnvelope(status int) envelope {
	msg := "The service is temporarily unavailable. Please try again later."
	if status == http.StatusGatewayTimeout {
		msg = "The request timed out at the gateway. Please try again later."
	}
	return protocolEnvelope(status, msg)
}

// bufferedResponse records a handler's answer so a reset fault can send
// part of it.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

// serveWithReset runs next into a buffer, then writes the status line, the
// headers and half of the body straight to the connection and resets it.
// Over HTTP/2, where hijacking is impossible, it aborts the stream instead.
func serveWithReset(w *headerWriter, r *http.Request, next func(http.ResponseWriter, *http.Request)) {
	rec := &bufferedResponse{header: http.Header{}}
	next(rec, r)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.addCommonHeaders(rec.status)
	body := rec.body.Bytes()
	half := body[:len(body)/2]
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))

	conn, buf, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		w.WriteHeader(rec.status)
		_, _ = w.Write(half)
		_ = http.NewResponseController(w.ResponseWriter).Flush()
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	w.wroteHeader, w.status = true, rec.status
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", rec.status, http.StatusText(rec.status))
	_ = w.Header().Write(buf)
	buf.WriteString("\r\n")
	buf.Write(half)
	_ = buf.Flush()
	// SO_LINGER 0 makes Close send RST: a reset, not a clean FIN.
	if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		if tcp, ok := nc.NetConn().(*net.TCPConn); ok {
			_ = tcp.SetLinger(0)
		}
	} else if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
}
