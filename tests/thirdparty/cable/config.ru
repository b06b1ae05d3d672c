# frozen_string_literal: true
# rackup file for the standalone ActionCable test server (see app.rb).
require_relative "app"

map "/cable" do
  run ActionCable.server
end

map "/" do
  use Rack::ConditionalGet # 304 on If-None-Match, like Rails' default stack
  use Rack::ETag
  run CableTest::HttpApp.new
end
