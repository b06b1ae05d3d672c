<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>ComposerBar</name>
    <message>
        <source>Send a stamp</source>
        <translation type="vanished">スタンプを送信</translation>
    </message>
    <message>
        <source>Share a location</source>
        <translation type="vanished">位置情報を共有</translation>
    </message>
    <message>
        <source>Write a message…</source>
        <translation type="vanished">メッセージを入力…</translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="vanished">メッセージ</translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="vanished">送信</translation>
    </message>
</context>
<context>
    <name>DesktopCommand</name>
    <message>
        <source>Natter: chat on your network, or host a server for it.</source>
        <translation type="vanished">Natter: ネットワーク内でチャットしたり、そのためのサーバーをホストしたりできます。</translation>
    </message>
    <message>
        <source>Start in the tray, without a window.</source>
        <translation type="vanished">ウィンドウを開かずにトレイで起動します。</translation>
    </message>
</context>
<context>
    <name>FormPage</name>
    <message>
        <source>‹ Back</source>
        <translation type="vanished">‹ 戻る</translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="vanished">戻る</translation>
    </message>
</context>
<context>
    <name>HostForm</name>
    <message>
        <source>Host a server</source>
        <translation type="vanished">サーバーをホスト</translation>
    </message>
    <message>
        <source>Natter starts a chat server on this computer. People on your network join it with the address shown once it runs.</source>
        <translation type="vanished">Natter がこのコンピューターでチャットサーバーを起動します。起動後に表示されるアドレスで、ネットワーク内の人が参加できます。</translation>
    </message>
    <message>
        <source>Server name</source>
        <translation type="vanished">サーバー名</translation>
    </message>
    <message>
        <source>e.g. Office</source>
        <translation type="vanished">例: オフィス</translation>
    </message>
    <message>
        <source>Listen on</source>
        <translation type="vanished">待ち受け先</translation>
    </message>
    <message>
        <source>Network interface</source>
        <translation type="vanished">ネットワークインターフェース</translation>
    </message>
    <message>
        <source>All interfaces (others can join)</source>
        <translation type="vanished">すべてのインターフェース (他の人も参加可能)</translation>
    </message>
    <message>
        <source>This computer only</source>
        <translation type="vanished">このコンピューターのみ</translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="vanished">ポート</translation>
    </message>
    <message>
        <source>any</source>
        <translation type="vanished">自動</translation>
    </message>
    <message>
        <source>Your username</source>
        <translation type="vanished">ユーザー名</translation>
    </message>
    <message>
        <source>2–32 letters, digits, . _ -</source>
        <translation type="vanished">2〜32 文字の英数字と . _ -</translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="vanished">パスワード</translation>
    </message>
    <message>
        <source>At least 8 characters</source>
        <translation type="vanished">8 文字以上</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="vanished">起動中…</translation>
    </message>
    <message>
        <source>Start hosting</source>
        <translation type="vanished">ホストを開始</translation>
    </message>
</context>
<context>
    <name>HostingBanner</name>
    <message>
        <source>Hosting on %1</source>
        <translation type="vanished">%1 でホスト中</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation type="vanished">停止中…</translation>
    </message>
    <message>
        <source>Not hosting</source>
        <translation type="vanished">ホストしていません</translation>
    </message>
    <message numerus="yes">
        <source>%n connected</source>
        <translation type="vanished">
            <numerusform>%n 人が接続中</numerusform>
        </translation>
    </message>
    <message>
        <source>Your data is kept for next time</source>
        <translation type="vanished">データは次回のために保存されています</translation>
    </message>
    <message>
        <source>Copy the address</source>
        <translation type="vanished">アドレスをコピー</translation>
    </message>
    <message>
        <source>Stop hosting</source>
        <translation type="vanished">ホストを停止</translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="vanished">開始</translation>
    </message>
</context>
<context>
    <name>JoinForm</name>
    <message>
        <source>Join a server</source>
        <translation type="vanished">サーバーに参加</translation>
    </message>
    <message>
        <source>On your network</source>
        <translation type="vanished">ネットワーク内</translation>
    </message>
    <message>
        <source>%1 at %2:%3</source>
        <translation type="vanished">%1 (%2:%3)</translation>
    </message>
    <message>
        <source>%1:%2 · checking…</source>
        <translation type="vanished">%1:%2 · 確認中…</translation>
    </message>
    <message>
        <source>%1:%2 · added by hand</source>
        <translation type="vanished">%1:%2 · 手動で追加</translation>
    </message>
    <message>
        <source>%1:%2 · not answering</source>
        <translation type="vanished">%1:%2 · 応答なし</translation>
    </message>
    <message>
        <source>Forget this address</source>
        <translation type="vanished">このアドレスを削除</translation>
    </message>
    <message>
        <source>Listening for servers on your network…</source>
        <translation type="vanished">ネットワーク内のサーバーを探しています…</translation>
    </message>
    <message>
        <source>Or type an address</source>
        <translation type="vanished">またはアドレスを入力</translation>
    </message>
    <message>
        <source>host:port, e.g. 192.168.1.23:8000</source>
        <translation type="vanished">ホスト:ポート (例: 192.168.1.23:8000)</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="vanished">サーバーアドレス</translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="vanished">確認</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation type="vanished">%1 を確認中…</translation>
    </message>
    <message>
        <source>Natter server “%1” found.</source>
        <translation type="vanished">Natter サーバー「%1」が見つかりました。</translation>
    </message>
    <message>
        <source>This is not a Natter server. Choose the dialect it speaks and paste a token.</source>
        <translation type="vanished">Natter サーバーではありません。サーバーの方言を選び、トークンを貼り付けてください。</translation>
    </message>
    <message>
        <source>Dialect</source>
        <translation type="vanished">方言</translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="vanished">ユーザー名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="vanished">パスワード</translation>
    </message>
    <message>
        <source>Create a new account</source>
        <translation type="vanished">新しいアカウントを作成</translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="vanished">トークン</translation>
    </message>
    <message>
        <source>Paste the token the server gave you</source>
        <translation type="vanished">サーバーから受け取ったトークンを貼り付け</translation>
    </message>
    <message>
        <source>WebSocket path (optional)</source>
        <translation type="vanished">WebSocket パス (任意)</translation>
    </message>
    <message>
        <source>WebSocket path</source>
        <translation type="vanished">WebSocket パス</translation>
    </message>
    <message>
        <source>the dialect&apos;s usual path</source>
        <translation type="vanished">方言の標準パス</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation type="vanished">サインイン中…</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="vanished">接続</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation type="vanished">アカウントを作成</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="vanished">サインイン</translation>
    </message>
    <message>
        <source>No server answers at %1.</source>
        <translation type="vanished">%1 で応答するサーバーがありません。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Natter — %1</source>
        <translation type="vanished">Natter — %1</translation>
    </message>
    <message>
        <source>Natter</source>
        <translation type="vanished">Natter</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>You</source>
        <translation type="vanished">あなた</translation>
    </message>
    <message>
        <source>stamp</source>
        <translation type="vanished">スタンプ</translation>
    </message>
    <message>
        <source>location</source>
        <translation type="vanished">位置情報</translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="vanished">今日</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="vanished">昨日</translation>
    </message>
    <message>
        <source>sending</source>
        <translation type="vanished">送信中</translation>
    </message>
    <message>
        <source>sent</source>
        <translation type="vanished">送信済み</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation type="vanished">配信済み</translation>
    </message>
    <message>
        <source>read</source>
        <translation type="vanished">既読</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation type="vanished">未送信</translation>
    </message>
    <message>
        <source>Location</source>
        <translation type="vanished">位置情報</translation>
    </message>
    <message>
        <source>Open in map</source>
        <translation type="vanished">地図で開く</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation type="vanished">送信できませんでした: %1</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation type="vanished">送信できませんでした</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="vanished">再送信</translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <source>Invite to %1</source>
        <translation type="vanished">%1 に招待</translation>
    </message>
    <message>
        <source>New group</source>
        <translation type="vanished">新しいグループ</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation type="vanished">新しいチャット</translation>
    </message>
    <message>
        <source>Direct chat</source>
        <translation type="vanished">個別チャット</translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="vanished">グループ</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation type="vanished">グループ名</translation>
    </message>
    <message>
        <source>Search people</source>
        <translation type="vanished">ユーザーを検索</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation type="vanished">%1 を追加</translation>
    </message>
    <message>
        <source>Invited %1.</source>
        <translation type="vanished">%1 を招待しました。</translation>
    </message>
    <message>
        <source>Nobody found.</source>
        <translation type="vanished">見つかりませんでした。</translation>
    </message>
    <message>
        <source>Create group</source>
        <translation type="vanished">グループを作成</translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="vanished">完了</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="vanished">キャンセル</translation>
    </message>
</context>
<context>
    <name>NotificationsPopup</name>
    <message>
        <source>Notifications</source>
        <translation type="vanished">通知</translation>
    </message>
    <message>
        <source>%1 wants to message you: “%2”</source>
        <translation type="vanished">%1 からのメッセージリクエスト:「%2」</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="vanished">承認</translation>
    </message>
    <message>
        <source>Block</source>
        <translation type="vanished">ブロック</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation type="vanished">参加する</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation type="vanished">辞退</translation>
    </message>
    <message>
        <source>Nothing new.</source>
        <translation type="vanished">新しい通知はありません。</translation>
    </message>
</context>
<context>
    <name>QuickSwitcherPopup</name>
    <message>
        <source>Jump to a room…</source>
        <translation type="vanished">ルームに移動…</translation>
    </message>
    <message>
        <source>Room name</source>
        <translation type="vanished">ルーム名</translation>
    </message>
</context>
<context>
    <name>RoomDelegate</name>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation type="vanished">
            <numerusform>%1、未読 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Stamp</source>
        <translation type="vanished">スタンプ</translation>
    </message>
    <message>
        <source>Location</source>
        <translation type="vanished">位置情報</translation>
    </message>
    <message>
        <source>You: %1</source>
        <translation type="vanished">あなた: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="vanished">%1: %2</translation>
    </message>
</context>
<context>
    <name>RoomListPane</name>
    <message>
        <source>Search</source>
        <translation type="vanished">検索</translation>
    </message>
    <message>
        <source>Search rooms and people</source>
        <translation type="vanished">ルームとユーザーを検索</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="vanished">通知</translation>
    </message>
    <message>
        <source>New chat (Ctrl+N)</source>
        <translation type="vanished">新しいチャット (Ctrl+N)</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation type="vanished">ルーム</translation>
    </message>
    <message>
        <source>No room matches “%1”.</source>
        <translation type="vanished">「%1」に一致するルームはありません。</translation>
    </message>
    <message>
        <source>No chats yet — start one with the pencil button.</source>
        <translation type="vanished">チャットはまだありません。鉛筆ボタンで始めましょう。</translation>
    </message>
</context>
<context>
    <name>RoomPage</name>
    <message>
        <source>%1 is typing…</source>
        <translation type="vanished">%1 が入力中…</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation type="vanished">%1、%2 が入力中…</translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="vanished">グループ</translation>
    </message>
    <message>
        <source>online</source>
        <translation type="vanished">オンライン</translation>
    </message>
    <message>
        <source>last seen %1</source>
        <translation type="vanished">最終オンライン: %1</translation>
    </message>
    <message>
        <source>offline</source>
        <translation type="vanished">オフライン</translation>
    </message>
    <message>
        <source>Select a chat to start messaging</source>
        <translation type="vanished">チャットを選んでメッセージを始めましょう</translation>
    </message>
    <message>
        <source>Ctrl+K switches rooms · Ctrl+N starts a new chat</source>
        <translation type="vanished">Ctrl+K でルームを切り替え · Ctrl+N で新しいチャット</translation>
    </message>
    <message>
        <source>Invite people</source>
        <translation type="vanished">メンバーを招待</translation>
    </message>
    <message>
        <source>Dialect %1</source>
        <translation type="vanished">方言: %1</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="vanished">メッセージ</translation>
    </message>
    <message>
        <source>No messages yet — say hello!</source>
        <translation type="vanished">まだメッセージはありません。あいさつしてみましょう!</translation>
    </message>
    <message>
        <source>Jump to the newest message</source>
        <translation type="vanished">最新のメッセージへ移動</translation>
    </message>
</context>
<context>
    <name>ServerRail</name>
    <message>
        <source>Servers</source>
        <translation type="vanished">サーバー</translation>
    </message>
    <message>
        <source>Hosted server %1</source>
        <translation type="vanished">ホスト中のサーバー %1</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation type="vanished">%2 の %1</translation>
    </message>
    <message>
        <source>%1 · hosted here on %2</source>
        <translation type="vanished">%1 · このコンピューターの %2 でホスト中</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="vanished">%1 · %2</translation>
    </message>
    <message>
        <source>%1 as %2 · %3</source>
        <translation type="vanished">%1 (%2) · %3</translation>
    </message>
    <message>
        <source>Join or host another server</source>
        <translation type="vanished">別のサーバーに参加またはホスト</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="vanished">設定</translation>
    </message>
    <message>
        <source>online</source>
        <translation type="vanished">オンライン</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation type="vanished">接続中…</translation>
    </message>
    <message>
        <source>reconnecting…</source>
        <translation type="vanished">再接続中…</translation>
    </message>
    <message>
        <source>offline</source>
        <translation type="vanished">オフライン</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="vanished">設定</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation type="vanished">プライバシー</translation>
    </message>
    <message>
        <source>Send read receipts</source>
        <translation type="vanished">既読を送信</translation>
    </message>
    <message>
        <source>Let others see when I am typing</source>
        <translation type="vanished">入力中であることを表示</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="vanished">通知</translation>
    </message>
    <message>
        <source>Desktop notifications for new messages</source>
        <translation type="vanished">新着メッセージをデスクトップに通知</translation>
    </message>
    <message>
        <source>Look</source>
        <translation type="vanished">外観</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="vanished">テーマ</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="vanished">システムに合わせる</translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="vanished">ライト</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="vanished">ダーク</translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="vanished">言語</translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="vanished">システムの言語</translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="vanished">アカウント</translation>
    </message>
    <message>
        <source>%1 on %2 (%3)</source>
        <translation type="vanished">%2 の %1 (%3)</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="vanished">サインアウト</translation>
    </message>
</context>
<context>
    <name>ShareLocationDialog</name>
    <message>
        <source>Share a location</source>
        <translation type="vanished">位置情報を共有</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation type="vanished">緯度</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation type="vanished">経度</translation>
    </message>
    <message>
        <source>Share</source>
        <translation type="vanished">共有</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="vanished">キャンセル</translation>
    </message>
</context>
<context>
    <name>StampPicker</name>
    <message>
        <source>Stamps</source>
        <translation type="vanished">スタンプ</translation>
    </message>
    <message>
        <source>This server has no stamps.</source>
        <translation type="vanished">このサーバーにはスタンプがありません。</translation>
    </message>
</context>
<context>
    <name>TypingIndicator</name>
    <message>
        <source>%1 is typing</source>
        <translation type="vanished">%1 が入力中</translation>
    </message>
    <message>
        <source>%1 and %2 are typing</source>
        <translation type="vanished">%1、%2 が入力中</translation>
    </message>
    <message numerus="yes">
        <source>%1, %2 and %n more are typing</source>
        <translation type="vanished">
            <numerusform>%1、%2 ほか %n 人が入力中</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnreadBadge</name>
    <message>
        <source>Natter</source>
        <translation type="vanished">Natter</translation>
    </message>
    <message numerus="yes">
        <source>Natter — %n unread</source>
        <translation type="vanished">
            <numerusform>Natter — 未読 %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Natter</source>
        <translation type="vanished">Natter へようこそ</translation>
    </message>
    <message>
        <source>Chat with the people on your network. Host a server on this computer for your team, or join one that is already running.</source>
        <translation type="vanished">ネットワーク内の人とチャットしましょう。このコンピューターでチーム用のサーバーをホストするか、すでに動いているサーバーに参加できます。</translation>
    </message>
    <message>
        <source>Host a server on this computer</source>
        <translation type="vanished">このコンピューターでサーバーをホスト</translation>
    </message>
    <message>
        <source>Others on your network join you here. Your chats stay on this machine.</source>
        <translation type="vanished">ネットワーク内の人がここに参加します。チャットはこのコンピューターに保存されます。</translation>
    </message>
    <message>
        <source>Join a server</source>
        <translation type="vanished">サーバーに参加</translation>
    </message>
    <message>
        <source>Pick a server found on your network, or type its address.</source>
        <translation type="vanished">ネットワークで見つかったサーバーを選ぶか、アドレスを入力します。</translation>
    </message>
    <message>
        <source>Back to my chats</source>
        <translation type="vanished">チャットに戻る</translation>
    </message>
</context>
<context>
    <name>natter::desktop::Account</name>
    <message>
        <source>This app cannot speak the &apos;%1&apos; dialect.</source>
        <translation type="vanished">このアプリは「%1」方言に対応していません。</translation>
    </message>
    <message>
        <source>Cannot open the local storage: %1</source>
        <translation type="vanished">ローカルストレージを開けません: %1</translation>
    </message>
    <message>
        <source>Sent a stamp</source>
        <translation type="vanished">スタンプを送信しました</translation>
    </message>
    <message>
        <source>Shared a location</source>
        <translation type="vanished">位置情報を共有しました</translation>
    </message>
</context>
<context>
    <name>natter::desktop::DesktopApp</name>
    <message>
        <source>&apos;%1&apos; is not a server address. Type host:port, e.g. 192.168.1.23:8000.</source>
        <translation type="vanished">「%1」はサーバーアドレスではありません。ホスト:ポートの形式で入力してください (例: 192.168.1.23:8000)。</translation>
    </message>
    <message>
        <source>An address and a token are needed.</source>
        <translation type="vanished">アドレスとトークンが必要です。</translation>
    </message>
    <message>
        <source>The server did not answer: %1</source>
        <translation type="vanished">サーバーから応答がありません: %1</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation type="vanished">ユーザー名またはパスワードが違います。</translation>
    </message>
</context>
<context>
    <name>natter::desktop::HostingController</name>
    <message>
        <source>&apos;%1&apos; is not an address this computer can listen on.</source>
        <translation type="vanished">このコンピューターは「%1」で待ち受けできません。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation type="vanished">フォルダー %1 を作成できません。</translation>
    </message>
</context>
<context>
    <name>natter::desktop::TrayController</name>
    <message>
        <source>Show Natter</source>
        <translation type="vanished">Natter を表示</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="vanished">終了</translation>
    </message>
    <message>
        <source>Natter is still running</source>
        <translation type="vanished">Natter は実行中です</translation>
    </message>
    <message>
        <source>It waits in the tray so new messages still reach you. Choose Quit in its menu to end it.</source>
        <translation type="vanished">新しいメッセージを受け取れるようにトレイで待機しています。終了するにはメニューから「終了」を選んでください。</translation>
    </message>
</context>
</TS>
