package query

import (
	"context"
	"sync"
)

// lookahead is how many inputs past the oldest unfinished one may run, per
// unit of concurrency: enough to keep every slot busy while a slow input
// holds up the output, bounded so memory stays flat on long pipelines.
const lookahead = 4

// slot buffers the events of one input until it is that input's turn.
type slot struct {
	events []Event
	// queued counts the events handed over, emitted those passed to emit;
	// acked is closed and replaced whenever emitted grows.
	queued, emitted int
	acked           chan struct{}
	done            bool
	err             error
}

// runOrdered runs job for inputs 0..n-1, at most concurrency at once, and
// passes their events to emit in input order: the oldest unfinished input
// streams straight through, later ones wait in their slots. The oldest
// input's out returns only once emit has taken its event, so that input
// reads no further ahead than its consumer (one page at most).
func runOrdered(ctx context.Context, n, concurrency int, emit func(Event) error, job func(ctx context.Context, i int, out func(Event) error) error) error {
	ctx, cancel := context.WithCancel(ctx)
	var mu sync.Mutex
	slots := make([]*slot, n)
	changed := make(chan struct{}, 1)
	signal := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	head := 0 // the input whose events go out now; guarded by mu
	headMoved := make(chan struct{}, 1)
	window := concurrency * lookahead
	var wg sync.WaitGroup
	// Cancel first, so jobs still running stop, then wait for them.
	defer func() { cancel(); wg.Wait() }()
	sem := make(chan struct{}, concurrency)
	wg.Add(1) // the launcher, so Wait also waits for the jobs it starts
	go func() {
		defer wg.Done()
		for i := range n {
			for {
				mu.Lock()
				inWindow := i < head+window
				mu.Unlock()
				if inWindow {
					break
				}
				select {
				case <-headMoved:
				case <-ctx.Done():
					return
				}
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			s := &slot{acked: make(chan struct{})}
			mu.Lock()
			slots[i] = s
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				err := job(ctx, i, func(ev Event) error {
					mu.Lock()
					s.events = append(s.events, ev)
					s.queued++
					mine := s.queued
					mu.Unlock()
					signal()
					// The input being printed waits for its consumer; the
					// others buffer until their turn.
					for {
						mu.Lock()
						if head != i || s.emitted >= mine {
							mu.Unlock()
							return ctx.Err()
						}
						acked := s.acked
						mu.Unlock()
						select {
						case <-acked:
						case <-ctx.Done():
							return ctx.Err()
						}
					}
				})
				mu.Lock()
				s.done, s.err = true, err
				mu.Unlock()
				signal()
			}()
		}
	}()
	for head < n {
		mu.Lock()
		s := slots[head]
		var batch []Event
		var done bool
		var err error
		if s != nil {
			batch, s.events = s.events, nil
			done, err = s.done, s.err
		}
		mu.Unlock()
		for _, ev := range batch {
			if err := emit(ev); err != nil {
				return err
			}
		}
		if len(batch) > 0 {
			mu.Lock()
			s.emitted += len(batch)
			close(s.acked)
			s.acked = make(chan struct{})
			mu.Unlock()
		}
		if done {
			if err != nil {
				return err
			}
			mu.Lock()
			slots[head] = nil
			head++
			mu.Unlock()
			select {
			case headMoved <- struct{}{}:
			default:
			}
			continue
		}
		if len(batch) > 0 {
			continue
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
