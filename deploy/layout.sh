# The module layout the deploy scripts and the image builds rely on: where `./mvnw -B -q -DskipTests package` puts
# each jar (its lib/ directory beside it). Sourced by deploy/*.sh and passed to the Dockerfile as build arguments
# (whose defaults say the same). Change it here (and in the Dockerfile's ARG defaults) when the layout changes.
DISTRIBUTOR_DIR=distributor/target
DISTRIBUTOR_JAR=log-distributor.jar
ANALYZER_DIR=analyzers/target
ANALYZER_JAR=log-analyzer.jar
# the demo's report tools (dev.logdist.demo.DemoStatus, DemoChart, JmeterResults), run on the host
DEMO_TOOLS_JAR=demo-tools/target/log-distributor-demo-tools.jar
