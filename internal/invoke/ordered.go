package invoke

import (
	"context"
	"sync"
)

// unitBuffer is how many events a unit that is not being printed yet may
// hold before it waits: a few pages, so memory stays flat on long
// pipelines.
const unitBuffer = 4

// lookahead is how many units past the one being printed may have
// started, per unit of concurrency.
const lookahead = 4

// unit is one job's event stream and its outcome.
type unit struct {
	events chan Event
	err    error // set before events is closed
}

// runOrdered runs job for units 0..n-1, at most concurrency at once, and
// passes their events to emit in unit order: the unit being printed
// streams through, later ones buffer a little and then wait. A job's
// error (ctx ended, emit failed) ends the run; per-input failures are
// events, not errors.
func runOrdered(ctx context.Context, n, concurrency int, emit func(Event) error, job func(ctx context.Context, u int, out func(Event) error) error) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	queue := make(chan *unit, concurrency*lookahead)
	sem := make(chan struct{}, concurrency)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(queue)
		for u := range n {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			un := &unit{events: make(chan Event, unitBuffer)}
			select {
			case queue <- un:
			case <-ctx.Done():
				<-sem
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				un.err = job(ctx, u, func(ev Event) error {
					select {
					case un.events <- ev:
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				})
				close(un.events)
				<-sem
			}()
		}
	}()
	for un := range queue {
		for ev := range un.events {
			if err := emit(ev); err != nil {
				return err
			}
		}
		if un.err != nil {
			return un.err
		}
	}
	return ctx.Err()
}
