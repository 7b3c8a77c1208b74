package audit

import (
	"fmt"

	"github.com/ecswin/ecswin/internal/inventory"
)

// ReachabilityRule reports the hosts ecswin can neither check nor repair:
// those SSM cannot reach and those ECS named without an instance ID.
func ReachabilityRule(f HostFacts, _ Input) []Finding {
	h := f.Host
	switch {
	case h.InstanceID == "":
		return []Finding{hostFinding(h, RuleReport, ReasonHostDataIncomplete, SeverityWarning, 0,
			"ECS gave no EC2 instance ID for this container instance, so ecswin cannot run checks on it: look at the instance in the ECS console")}
	case h.SSM == inventory.SSMOnline, h.SSM == inventory.SSMUnknown:
		return nil
	case h.SSM == inventory.SSMNotManaged:
		return []Finding{hostFinding(h, RuleReport, ReasonSSMUnreachable, SeverityWarning, 0,
			"SSM does not manage this instance, so ecswin cannot check or repair it: give its instance profile AmazonSSMManagedInstanceCore and make sure the SSM agent runs")}
	default:
		return []Finding{hostFinding(h, RuleReport, ReasonSSMUnreachable, SeverityWarning, 0,
			fmt.Sprintf("the SSM agent is %s, so ecswin cannot check or repair this host: restart the AmazonSSMAgent service or check the instance's network path to SSM", h.SSM))}
	}
}
