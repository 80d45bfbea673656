package cmdlets

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/store"
)

// Paging is keyset paging: a cursor holds the key of the last object sent
// and how many were sent so far (for -ResultSize). Keys are stable row
// keys, so objects added or removed between pages never make another
// object appear twice or not at all.

type cursor struct {
	after   int64 // key of the last object sent
	emitted int   // objects sent on earlier pages
}

func (c cursor) String() string {
	return strconv.FormatInt(c.after, 10) + "." + strconv.Itoa(c.emitted)
}

func parseCursor(s string) (cursor, error) {
	if s == "" {
		return cursor{}, nil
	}
	a, b, ok := strings.Cut(s, ".")
	after, err1 := strconv.ParseInt(a, 10, 64)
	emitted, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || emitted < 0 {
		return cursor{}, argumentError("The paging cursor %q is not valid.", s)
	}
	return cursor{after: after, emitted: emitted}, nil
}

// window is what one page may send: at most need objects, and whether
// stopping there means -ResultSize cut the output short.
type window struct {
	cur    cursor
	need   int
	capped bool // need was reduced to respect -ResultSize
}

func (r *request) window() (window, error) {
	cur, err := parseCursor(r.page.Cursor)
	if err != nil {
		return window{}, err
	}
	w := window{cur: cur, need: r.page.MaxPageSize}
	if limit, unlimited := r.resultSize(); !unlimited {
		if left := limit - cur.emitted; left <= w.need {
			w.need, w.capped = max(left, 0), true
		}
	}
	return w, nil
}

// finish sets the cursor or the pagination warning once a page holds the
// objects up to lastKey and more remain (more).
func (w window) finish(res *adminapi.Result, lastKey int64, more bool) {
	if !more {
		return
	}
	if w.capped {
		// Exchange warns once, on the last page, when -ResultSize hid objects.
		res.Warnings = append(res.Warnings, paginationWarning)
		return
	}
	res.NextCursor = cursor{after: lastKey, emitted: w.cur.emitted + len(res.Records)}.String()
}

// recipientList describes a listing of recipients.
type recipientList struct {
	query store.RecipientQuery
	// match filters rows the query cannot (OPATH, -Anr, -Archive); nil
	// keeps every row.
	match  func(*store.Recipient) (bool, error)
	render func(*store.Recipient) adminapi.Record
}

// scanBatch is how many rows a filtered listing reads per query: filters
// reject an unknown share of rows, so reading just a page's worth would
// mean many small queries.
const scanBatch = 1000

// listRecipients produces one page of a recipient listing. Unfiltered, a
// page is one query of need+1 rows (the extra row tells whether more
// remain); filtered, rows are read in batches until the page is full.
func (e *Engine) listRecipients(ctx context.Context, r *request, l recipientList) (adminapi.Result, error) {
	w, err := r.window()
	if err != nil {
		return adminapi.Result{}, err
	}
	res := adminapi.Result{Records: make([]adminapi.Record, 0, w.need)}
	q := l.query
	q.After, q.Limit = w.cur.after, w.need+1
	if l.match != nil {
		q.Limit = max(q.Limit, scanBatch)
	}
	var lastKey int64
	for {
		// Rows are rendered as the store builds them, while each bag is
		// still in the CPU cache.
		read, full := 0, false
		var matchErr error
		err := e.st.WalkRecipients(ctx, q, func(row *store.Recipient) bool {
			read++
			q.After = row.Key // the next batch, if any, starts after it
			if l.match != nil {
				ok, err := l.match(row)
				if err != nil {
					matchErr = err
					return false
				}
				if !ok {
					return true
				}
			}
			if len(res.Records) == w.need {
				full = true
				return false
			}
			res.Records = append(res.Records, l.render(row))
			lastKey = row.Key
			return true
		})
		switch {
		case err != nil:
			return adminapi.Result{}, fmt.Errorf("list recipients: %w", err)
		case matchErr != nil:
			return adminapi.Result{}, matchErr
		case full:
			w.finish(&res, lastKey, true)
			return res, nil
		case read < q.Limit:
			return res, nil
		}
		if err := ctx.Err(); err != nil {
			return adminapi.Result{}, err
		}
	}
}

// pageItems pages a small in-memory list already ordered by ascending,
// stable keys.
func pageItems[T any](r *request, items []T, key func(T) int64, render func(T) adminapi.Record) (adminapi.Result, error) {
	w, err := r.window()
	if err != nil {
		return adminapi.Result{}, err
	}
	res := adminapi.Result{}
	var lastKey int64
	for _, it := range items {
		k := key(it)
		if k <= w.cur.after {
			continue
		}
		if len(res.Records) == w.need {
			w.finish(&res, lastKey, true)
			return res, nil
		}
		res.Records = append(res.Records, render(it))
		lastKey = k
	}
	return res, nil
}

// single is the result of a cmdlet that outputs one object.
func single(rec adminapi.Record) adminapi.Result {
	return adminapi.Result{Records: []adminapi.Record{rec}}
}

// keyedRecord is one object of a fanned-out listing, keyed among the
// objects of its recipient.
type keyedRecord struct {
	key int64 // below maxItemKey
	rec adminapi.Record
}

// maxItemKey bounds the keys of one recipient's objects in fanOut.
const maxItemKey = 1<<32 - 1

// fanOut pages objects that belong to recipients, such as permission
// entries: objects lists one recipient's objects in ascending key order.
// The cursor holds recipientKey<<32|objectKey, so a page may end inside
// one recipient's objects.
func (e *Engine) fanOut(ctx context.Context, r *request, q store.RecipientQuery, objects func(*store.Recipient) ([]keyedRecord, error)) (adminapi.Result, error) {
	w, err := r.window()
	if err != nil {
		return adminapi.Result{}, err
	}
	res := adminapi.Result{}
	var lastKey int64
	// Start at the cursor's recipient: the last page may have ended inside it.
	q.After, q.Limit = w.cur.after>>32-1, scanBatch
	for {
		rows, err := e.st.ListRecipients(ctx, q)
		if err != nil {
			return adminapi.Result{}, fmt.Errorf("list recipients: %w", err)
		}
		for i := range rows {
			objs, err := objects(&rows[i])
			if err != nil {
				return adminapi.Result{}, err
			}
			for _, o := range objs {
				k := rows[i].Key<<32 | o.key&maxItemKey
				if k <= w.cur.after {
					continue
				}
				if len(res.Records) == w.need {
					w.finish(&res, lastKey, true)
					return res, nil
				}
				res.Records = append(res.Records, o.rec)
				lastKey = k
			}
		}
		if len(rows) < q.Limit {
			return res, nil
		}
		q.After = rows[len(rows)-1].Key
		if err := ctx.Err(); err != nil {
			return adminapi.Result{}, err
		}
	}
}

// pageList pages a small in-memory list in its own order: the cursor
// counts positions.
func pageList[T any](r *request, items []T, render func(T) adminapi.Record) (adminapi.Result, error) {
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	return pageItems(r, idx, func(i int) int64 { return int64(i) + 1 }, func(i int) adminapi.Record { return render(items[i]) })
}
