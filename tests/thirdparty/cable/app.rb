# frozen_string_literal: true
#
# A small, standalone "cable dialect" chat server built on the real
# ActionCable 6.1 (Debian's ruby-actioncable). No Rails application, no
# database: users, rooms and messages live in memory. It is used by the
# automated tests as a server that is not Natter.
#
# Environment:
#   CABLE_SECRET     HS256 secret for JWTs        (default "cable-test-secret")
#   CABLE_USERS      "id:username,..."            (default "1:alice,2:bob,3:carol")
#   CABLE_ROOMS      allowed room ids "1,2,..."   (default "1,2,3")
#   CABLE_LOG_LEVEL  debug|info|warn|error        (default "warn"; logs go to stderr)

require "json"
require "logger"
require "time"
require "openssl"
require "jwt"
require "action_cable"

module CableTest
  Logger = ::Logger.new($stderr)
  Logger.level = ::Logger.const_get((ENV["CABLE_LOG_LEVEL"] || "warn").upcase) rescue ::Logger::WARN

  SECRET = ENV.fetch("CABLE_SECRET", "cable-test-secret")

  User = Struct.new(:id, :username) do
    # ActionCable builds the connection identifier from this.
    def to_gid_param
      "User/#{id}"
    end

    def as_json(*)
      { "id" => id, "username" => username }
    end
  end

  USERS = ENV.fetch("CABLE_USERS", "1:alice,2:bob,3:carol").split(",").map(&:strip).reject(&:empty?).to_h do |entry|
    id, name = entry.split(":", 2)
    [Integer(id, 10), User.new(Integer(id, 10), name.to_s)]
  end.freeze

  ROOMS = ENV.fetch("CABLE_ROOMS", "1,2,3").split(",").map(&:strip).reject(&:empty?).map { |r| Integer(r, 10) }.freeze

  STAMPS = [
    { "id" => 1, "name" => "smile", "emoji" => "😀" },
    { "id" => 2, "name" => "thumbs_up", "emoji" => "👍" },
    { "id" => 3, "name" => "heart", "emoji" => "❤️" },
    { "id" => 4, "name" => "party", "emoji" => "🎉" },
  ].freeze

  # Verifies an HS256 JWT and returns the seeded user it names, or nil.
  # Payload must carry an integer "user_id" (not "sub"); "exp" is honoured
  # when present. The username in the token is informational only: the
  # user's name comes from CABLE_USERS, as it would from a users table.
  def self.user_from_token(token)
    return nil if token.nil? || token.empty?
    payload, _header = JWT.decode(token, SECRET, true, { algorithm: "HS256" })
    uid = payload["user_id"]
    return nil unless uid.is_a?(Integer)
    USERS[uid]
  rescue JWT::DecodeError
    nil
  end

  # Thread-safe in-memory message table.
  module Store
    @mutex = Mutex.new
    @messages = []
    @next_id = 1

    def self.create(attrs)
      @mutex.synchronize do
        record = { "id" => @next_id }.merge(attrs)
        record["created_at"] = Time.now.utc.iso8601(3)
        @next_id += 1
        @messages << record
        record
      end
    end

    def self.all
      @mutex.synchronize { @messages.map(&:dup) }
    end
  end

  # Plain HTTP endpoints (everything that is not /cable).
  class HttpApp
    def call(env)
      req = Rack::Request.new(env)
      case [req.request_method, req.path_info]
      when ["GET", "/api/stamp_messages"]
        auth = env["HTTP_AUTHORIZATION"].to_s
        token = auth[/\ABearer\s+(.+)\z/i, 1]
        return json(401, { "error" => "unauthorized" }) unless CableTest.user_from_token(token)
        json(200, STAMPS)
      when ["GET", "/test/messages"]
        json(200, Store.all)
      else
        json(404, { "error" => "not found" })
      end
    end

    private

    def json(status, body)
      [status,
       { "Content-Type" => "application/json; charset=utf-8",
         "Cache-Control" => "max-age=0, private, must-revalidate" },
       [JSON.generate(body)]]
    end
  end
end

module ApplicationCable
  class Connection < ActionCable::Connection::Base
    identified_by :current_user

    def connect
      self.current_user = CableTest.user_from_token(request.params["token"]) || reject_unauthorized_connection
    end
  end

  class Channel < ActionCable::Channel::Base
  end
end

class MessageChannel < ApplicationCable::Channel
  def subscribed
    raw = params[:room_id]
    if raw.nil? || raw.to_s.empty?
      @room_id = nil
      stream_from "lobby"
      return
    end
    @room_id = Integer(raw.to_s, 10) rescue nil
    if @room_id && CableTest::ROOMS.include?(@room_id)
      stream_from "room_#{@room_id}"
    else
      reject
    end
  end

  def unsubscribed
    stop_all_streams
  end

  def send_message(data)
    text = data["message"]
    return unless text.is_a?(String) && !text.strip.empty?
    create_and_broadcast("message" => text)
  end

  def send_stamp(data)
    stamp_id = Integer(data["stamp_id"].to_s, 10) rescue nil
    return unless stamp_id && CableTest::STAMPS.any? { |s| s["id"] == stamp_id }
    create_and_broadcast("message" => nil, "stamp_id" => stamp_id)
  end

  def send_location(data)
    lat = Float(data["latitude"].to_s) rescue nil
    lng = Float(data["longitude"].to_s) rescue nil
    return unless lat && lng && lat.abs <= 90 && lng.abs <= 180
    create_and_broadcast("message" => nil, "latitude" => lat, "longitude" => lng)
  end

  private

  def stream_name
    @room_id ? "room_#{@room_id}" : "lobby"
  end

  # Only server-known fields are stored and broadcast; whatever else the
  # client put into data (temp_id, ...) is dropped, as a real app would.
  def create_and_broadcast(fields)
    record = CableTest::Store.create(
      { "message" => fields.delete("message"),
        "user_id" => current_user.id,
        "user" => current_user.as_json,
        "room_id" => @room_id }.merge(fields)
    )
    ActionCable.server.broadcast(stream_name, record)
  end
end

ActionCable.server.config.tap do |c|
  c.cable = { "adapter" => "async" }
  c.connection_class = -> { ApplicationCable::Connection }
  c.disable_request_forgery_protection = true
  c.allowed_request_origins = [/.*/]
  c.logger = CableTest::Logger
  c.log_tags = []
  c.mount_path = "/cable"
  c.worker_pool_size = 4
end
