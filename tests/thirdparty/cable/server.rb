# frozen_string_literal: true
#
# Starts config.ru on an embedded Puma::Server bound to CABLE_HOST
# (default 127.0.0.1) and CABLE_PORT (default 0 = the OS picks), then prints
# exactly one line "LISTENING <port>" to stdout. Everything else goes to
# stderr. SIGTERM/SIGINT close all cable connections and exit 0.
# Nothing is written to disk.

$stdout.sync = true
$stderr.sync = true

require "rack"
require "puma"
require "puma/events"
require "puma/server"

app, = Rack::Builder.parse_file(File.expand_path("config.ru", __dir__))

events = Puma::Events.new($stderr, $stderr)
server = Puma::Server.new(app, events,
                          min_threads: 0,
                          max_threads: Integer(ENV.fetch("CABLE_PUMA_THREADS", "4")),
                          environment: "test")
server.add_tcp_listener(ENV.fetch("CABLE_HOST", "127.0.0.1"), Integer(ENV.fetch("CABLE_PORT", "0")))

stop_r, stop_w = IO.pipe
%w[TERM INT].each do |sig|
  Signal.trap(sig) { stop_w.write_nonblock("x") rescue nil }
end

server.run
$stdout.puts "LISTENING #{server.connected_ports.first}"

stop_r.read(1)

shutdown = Thread.new do
  ActionCable.server.restart # tells every client {"type":"disconnect","reason":"server_restart"} and closes
  server.stop(true)
end
unless shutdown.join(5)
  $stderr.puts "cable test server: shutdown timed out"
  exit!(1)
end
exit!(0)
