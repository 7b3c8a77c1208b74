package hostcheck

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

// RepairBudget is the time a proxy repair may take. It is started only
// with that much of the run left, and then runs to its own end rather than
// the run's, so a deadline never cuts it between removing the adapter and
// making it again.
const RepairBudget = 2 * time.Minute

// The least disruptive repair, from AWS's own sources: the developer guide
// says that after a restart "you must delete the proxy interface and
// initialize the Amazon ECS container agent again" (Windows IAM roles for
// tasks). What re-initialising does for the proxy is hostsetup.ps1 in
// amazon-ecs-agent's misc/windows-deploy: add a host vNIC named APIPA on
// the nat switch, put 169.254.170.2/32 on it, wait for Preferred, route the
// nat subnet through it, open 51679 in the firewall and, last, add the
// portproxy rule. The agent itself plays no part: its Windows service
// (agent/app/agent_windows.go) only runs the agent, which serves
// 127.0.0.1:51679 whatever happens to the endpoint. So the repair makes
// only the missing parts, in hostsetup.ps1's order, removes nothing but the
// APIPA adapter and the rule on 169.254.170.2:80, never restarts or
// re-initialises the agent (whose other Initialize-ECSAgent settings stay
// as they are), and adds the firewall rule only when it is absent.
type repairPlan struct {
	// deleteRule first, so no listener stays bound while the address
	// changes; addRule last, once the address is Preferred.
	deleteRule, removeAdapter, createAdapter, addAddress, addRule bool
}

// planRepair decides the steps from the check alone.
func planRepair(pc ProxyCheck) repairPlan {
	var p repairPlan
	has := func(r report.ProxyReason) bool { return slices.Contains(pc.Reasons, r) }
	newAdapter := has(report.ProxyAdapterMissing) || has(report.ProxyAdapterDown) || has(report.ProxyAddressNotPreferred)
	p.createAdapter = newAdapter
	p.removeAdapter = newAdapter && pc.apipa != nil
	p.addAddress = newAdapter || has(report.ProxyAddressMissing)
	p.addRule = p.addAddress || has(report.ProxyRuleMissing) || has(report.ProxyRuleWrongTarget) || has(report.ProxyGhostRule)
	p.deleteRule = p.addRule && pc.rule != nil
	return p
}

// repairProxy runs the plan; the steps taken go to the report's proxy
// details. It stops at the first failure.
func repairProxy(ctx context.Context, os hostos.OS, pc ProxyCheck, done *[]string) error {
	p := planRepair(pc)
	step := func(what string, f func() error) error {
		if err := f(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		*done = append(*done, what)
		return nil
	}
	if p.deleteRule {
		if err := step("deleted the portproxy rule on 169.254.170.2:80", func() error {
			return os.DeletePortProxyRule(ctx, hostos.ProxyListen)
		}); err != nil {
			return err
		}
	}
	ifIndex := uint32(0)
	if pc.apipa != nil {
		ifIndex = pc.apipa.Index
	}
	if p.removeAdapter {
		if err := step("removed the APIPA adapter", func() error { return os.RemoveCredentialAdapter(ctx) }); err != nil {
			return err
		}
	}
	if p.createAdapter {
		var err error
		if ifIndex, err = createAdapter(ctx, os, step); err != nil {
			return err
		}
	}
	if p.addAddress {
		if err := step("added 169.254.170.2/32 to the APIPA adapter", func() error { return os.AddProxyAddress(ctx, ifIndex) }); err != nil {
			return err
		}
		if err := waitPreferred(ctx, os); err != nil {
			return err
		}
	}
	if p.addRule {
		return step("added the portproxy rule 169.254.170.2:80 -> 127.0.0.1:51679", func() error {
			return os.AddPortProxyRule(ctx, hostos.ProxyRule)
		})
	}
	return nil
}

// createAdapter makes the APIPA adapter and returns its interface index.
func createAdapter(ctx context.Context, os hostos.OS, step func(string, func() error) error) (uint32, error) {
	subnet, err := os.NATSubnet(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading the nat network's subnet: %w", err)
	}
	if err := step("created the APIPA adapter on the nat switch, routing "+subnet.String()+" through it", func() error {
		return os.CreateCredentialAdapter(ctx, subnet)
	}); err != nil {
		return 0, err
	}
	adapters, err := os.Adapters(ctx)
	if err != nil {
		return 0, fmt.Errorf("finding the new APIPA adapter: %w", err)
	}
	for _, a := range adapters {
		if hostos.IsCredentialAdapter(a) {
			return a.Index, nil
		}
	}
	return 0, fmt.Errorf("finding the new APIPA adapter: not among %d adapters", len(adapters))
}

// waitPreferred waits, as hostsetup.ps1 does, for the address to turn
// Preferred before the portproxy rule is made.
func waitPreferred(ctx context.Context, os hostos.OS) error {
	var state hostos.AddressState
	for range dadTries {
		adapters, err := os.Adapters(ctx)
		if err != nil {
			return fmt.Errorf("waiting for 169.254.170.2: %w", err)
		}
		if state = proxyAddressState(adapters); state == hostos.AddressPreferred {
			return nil
		}
		if err := os.Wait(ctx, dadDelay); err != nil {
			break
		}
	}
	return fmt.Errorf("169.254.170.2 is still %q after %d tries; the portproxy rule is not made before it is Preferred", state, dadTries)
}
