package winos

// wineFixtureEnv carries, as JSON, what the Linux side of the Wine test
// built with ip netns; without it the tests below skip (a real Windows
// machine has no such fixture).
const wineFixtureEnv = "ECSWIN_WINE_FIXTURE"

// wineFixture is the expectation the Linux side hands over.
type wineFixture struct {
	// Adapters by Linux interface name (Wine's description) with the
	// prefix each carries.
	Adapters map[string]string `json:"adapters"`
	// Gateway is the default route the choice must land on, through the
	// adapter named GatewayAdapter.
	Gateway        string `json:"gateway"`
	GatewayAdapter string `json:"gatewayAdapter"`
	// OtherGateway is a second default route with a higher metric.
	OtherGateway string `json:"otherGateway"`
	// Stale is a destination routed through OtherGateway.
	Stale string `json:"stale"`
	// Pattern matches the candidate adapters' descriptions.
	Pattern string `json:"pattern"`
}
