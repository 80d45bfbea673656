package invoke

import (
	"context"
	"strings"
)

// DefaultMemberChunk is how many members one Update-DistributionGroupMember
// or Update-RoleGroupMember request sets: small enough for the service to
// finish well within its timeout, large enough that ordinary calls go as
// one request.
const DefaultMemberChunk = 1000

// memberAdders are the cmdlets that add the members past the first chunk,
// by the Update cmdlet they complete.
var memberAdders = map[string]string{
	"update-distributiongroupmember": "Add-DistributionGroupMember",
	"update-rolegroupmember":         "Add-RoleGroupMember",
}

// memberAddParameters are the Update parameters the Add calls repeat.
var memberAddParameters = []string{"Identity", "BypassSecurityGroupManagerCheck", "ErrorAction", "WarningAction"}

func isMemberUpdate(cmdlet string) bool {
	_, ok := memberAdders[strings.ToLower(cmdlet)]
	return ok
}

// memberUpdate runs Update-DistributionGroupMember or Update-RoleGroupMember.
// A -Members list longer than one chunk is split (docs/invoke-command.md):
// the Update call sets the first chunk, which replaces the membership, and
// each further member is added with Add-DistributionGroupMember or
// Add-RoleGroupMember, as $batch requests of 10 in parallel. The final
// membership is the list's, as with one call; the service never sees a
// request it cannot finish within its timeout. Duplicates in the list are
// dropped first, so no Add fails for a member already set.
func (r *runner) memberUpdate(ctx context.Context, i int, out func(Event) error) error {
	p := r.inputs[i]
	chunk := r.t.MemberChunk
	if chunk <= 0 {
		chunk = DefaultMemberChunk
	}
	key, v, ok := p.get("Members")
	adder := memberAdders[strings.ToLower(r.call.Cmdlet)]
	if !ok || v.Kind != KindList || len(v.List) <= chunk || replayable(r.call.Cmdlet, p) ||
		(r.t.Allowed != nil && !r.t.Allowed(adder)) {
		return r.single(ctx, i, p, out)
	}
	members := uniqueMembers(v.List)
	if len(members) <= chunk {
		return r.single(ctx, i, merged(p, Params{key: {Kind: KindList, List: members}}), out)
	}
	failed := false
	err := r.single(ctx, i, merged(p, Params{key: {Kind: KindList, List: members[:chunk]}}), func(ev Event) error {
		failed = failed || ev.Err != nil
		return out(ev)
	})
	if err != nil || failed {
		return err // the membership stays as it was, or as the service left it
	}
	common := Params{}
	for _, name := range memberAddParameters {
		if k, v, ok := p.get(name); ok {
			common[k] = v
		}
	}
	adds := &runner{t: r.t, call: Call{Cmdlet: adder, WarningAction: r.call.WarningAction, Batch: true}, enc: r.enc}
	for _, m := range members[chunk:] {
		adds.inputs = append(adds.inputs, merged(common, Params{"Member": m}))
	}
	warned := map[string]bool{}
	units := (len(adds.inputs) + BatchSize - 1) / BatchSize
	return runOrdered(ctx, units, max(1, r.t.Concurrency), func(ev Event) error {
		if ev.Warning != "" {
			if warned[ev.Warning] {
				return nil
			}
			warned[ev.Warning] = true
		}
		ev.Input = i
		return out(ev)
	}, func(ctx context.Context, u int, out func(Event) error) error {
		return adds.batch(ctx, u*BatchSize, min(len(adds.inputs), (u+1)*BatchSize), out)
	})
}

// uniqueMembers drops repeated members, compared without case.
func uniqueMembers(list []Value) []Value {
	seen := map[string]bool{}
	out := make([]Value, 0, len(list))
	for _, m := range list {
		k := strings.ToLower(strings.TrimSpace(m.text()))
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, m)
	}
	return out
}
