<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>ComposerBar</name>
    <message>
        <source>Send a stamp</source>
        <translation>スタンプを送信</translation>
    </message>
    <message>
        <source>Share a location</source>
        <translation>位置情報を共有</translation>
    </message>
    <message>
        <source>Write a message…</source>
        <translation>メッセージを入力…</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>送信</translation>
    </message>
</context>
<context>
    <name>DesktopCommand</name>
    <message>
        <source>Natter: chat on your network, or host a server for it.</source>
        <translation>Natter: ネットワーク内でチャットしたり、そのためのサーバーをホストしたりできます。</translation>
    </message>
    <message>
        <source>Start in the tray, without a window.</source>
        <translation>ウィンドウを開かずにトレイで起動します。</translation>
    </message>
</context>
<context>
    <name>FormPage</name>
    <message>
        <source>‹ Back</source>
        <translation>‹ 戻る</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
</context>
<context>
    <name>HostForm</name>
    <message>
        <source>Host a server</source>
        <translation>サーバーをホスト</translation>
    </message>
    <message>
        <source>Natter starts a chat server on this computer. People on your network join it with the address shown once it runs.</source>
        <translation>Natter がこのコンピューターでチャットサーバーを起動します。起動後に表示されるアドレスで、ネットワーク内の人が参加できます。</translation>
    </message>
    <message>
        <source>Server name</source>
        <translation>サーバー名</translation>
    </message>
    <message>
        <source>e.g. Office</source>
        <translation>例: オフィス</translation>
    </message>
    <message>
        <source>Listen on</source>
        <translation>待ち受け先</translation>
    </message>
    <message>
        <source>Network interface</source>
        <translation>ネットワークインターフェース</translation>
    </message>
    <message>
        <source>All interfaces (others can join)</source>
        <translation>すべてのインターフェース (他の人も参加可能)</translation>
    </message>
    <message>
        <source>This computer only</source>
        <translation>このコンピューターのみ</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>ポート</translation>
    </message>
    <message>
        <source>any</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>Your username</source>
        <translation>ユーザー名</translation>
    </message>
    <message>
        <source>2–32 letters, digits, . _ -</source>
        <translation>2〜32 文字の英数字と . _ -</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>At least 8 characters</source>
        <translation>8 文字以上</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>起動中…</translation>
    </message>
    <message>
        <source>Start hosting</source>
        <translation>ホストを開始</translation>
    </message>
</context>
<context>
    <name>HostingBanner</name>
    <message>
        <source>Hosting on %1</source>
        <translation>%1 でホスト中</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>停止中…</translation>
    </message>
    <message>
        <source>Not hosting</source>
        <translation>ホストしていません</translation>
    </message>
    <message numerus="yes">
        <source>%n connected</source>
        <translation>
            <numerusform>%n 人が接続中</numerusform>
        </translation>
    </message>
    <message>
        <source>Your data is kept for next time</source>
        <translation>データは次回のために保存されています</translation>
    </message>
    <message>
        <source>Copy the address</source>
        <translation>アドレスをコピー</translation>
    </message>
    <message>
        <source>Stop hosting</source>
        <translation>ホストを停止</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>TLS certificate SHA-256 %1</source>
        <translation>TLS 証明書 SHA-256 %1</translation>
    </message>
</context>
<context>
    <name>JoinForm</name>
    <message>
        <source>Join a server</source>
        <translation>サーバーに参加</translation>
    </message>
    <message>
        <source>On your network</source>
        <translation>ネットワーク内</translation>
    </message>
    <message>
        <source>%1 at %2:%3</source>
        <translation>%1 (%2:%3)</translation>
    </message>
    <message>
        <source>%1:%2 · checking…</source>
        <translation>%1:%2 · 確認中…</translation>
    </message>
    <message>
        <source>%1:%2 · added by hand</source>
        <translation>%1:%2 · 手動で追加</translation>
    </message>
    <message>
        <source>%1:%2 · not answering</source>
        <translation>%1:%2 · 応答なし</translation>
    </message>
    <message>
        <source>Forget this address</source>
        <translation>このアドレスを削除</translation>
    </message>
    <message>
        <source>Listening for servers on your network…</source>
        <translation>ネットワーク内のサーバーを探しています…</translation>
    </message>
    <message>
        <source>Or type an address</source>
        <translation>またはアドレスを入力</translation>
    </message>
    <message>
        <source>host:port, e.g. 192.168.1.23:8000</source>
        <translation>ホスト:ポート (例: 192.168.1.23:8000)</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>サーバーアドレス</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>確認</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>%1 を確認中…</translation>
    </message>
    <message>
        <source>Natter server “%1” found.</source>
        <translation>Natter サーバー「%1」が見つかりました。</translation>
    </message>
    <message>
        <source>Dialect</source>
        <translation>方言</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>ユーザー名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>Create a new account</source>
        <translation>新しいアカウントを作成</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>Paste the token the server gave you</source>
        <translation>サーバーから受け取ったトークンを貼り付け</translation>
    </message>
    <message>
        <source>WebSocket path (optional)</source>
        <translation>WebSocket パス (任意)</translation>
    </message>
    <message>
        <source>WebSocket path</source>
        <translation>WebSocket パス</translation>
    </message>
    <message>
        <source>the dialect&apos;s usual path</source>
        <translation>方言の標準パス</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>サインイン中…</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>接続</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>アカウントを作成</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>サインイン</translation>
    </message>
    <message>
        <source>No server answers at %1.</source>
        <translation>%1 で応答するサーバーがありません。</translation>
    </message>
    <message>
        <source>%1 shows a certificate no authority vouches for. Ask the person who hosts it for the fingerprint in their hosting banner and compare:</source>
        <translation>%1 の証明書はどの認証局にも保証されていません。ホストしている人にホスティングバナーのフィンガープリントを聞いて、比べてください:</translation>
    </message>
    <message>
        <source>They match — trust this server</source>
        <translation>一致しました — このサーバーを信頼する</translation>
    </message>
    <message>
        <source>or the CA certificate that signed it (PEM file)</source>
        <translation>または、署名した CA 証明書(PEM ファイル)</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>CA 証明書ファイル</translation>
    </message>
    <message>
        <source>Use this CA</source>
        <translation>この CA を使う</translation>
    </message>
    <message>
        <source>%1 answers, but it is not a Natter server%2. Choose the dialect it speaks and give what it signs in with.</source>
        <translation>%1 は応答しましたが、Natter サーバーではありません%2。話すダイアレクトを選び、サインインに使うものを入力してください。</translation>
    </message>
    <message>
        <source> (it says it runs %1)</source>
        <translation>(%1 で動作しているとのこと)</translation>
    </message>
    <message>
        <source>This server signs you in with a session cookie. Sign in on its website, then copy the cookie&apos;s name and value from your browser (Storage → Cookies).</source>
        <translation>このサーバーはセッション Cookie でサインインします。サイトでサインインし、ブラウザー(ストレージ → Cookie)から Cookie の名前と値をコピーしてください。</translation>
    </message>
    <message>
        <source>Paste the JWT the server gave you; the app connects to /cable?token=….</source>
        <translation>サーバーから受け取った JWT を貼り付けてください。アプリは /cable?token=… に接続します。</translation>
    </message>
    <message>
        <source>Paste the JWT the server gave you; the app connects to /chats/ws?token=…. Chats open by their id.</source>
        <translation>サーバーから受け取った JWT を貼り付けてください。アプリは /chats/ws?token=… に接続します。チャットは ID で開きます。</translation>
    </message>
    <message>
        <source>Paste your OAuth token; the app sends it in IDENTIFY on the server&apos;s /ws.</source>
        <translation>OAuth トークンを貼り付けてください。アプリはサーバーの /ws で IDENTIFY として送ります。</translation>
    </message>
    <message>
        <source>Paste the JWT the server gave you; each room connects to /ws/chat/ROOM/?token=….</source>
        <translation>サーバーから受け取った JWT を貼り付けてください。各ルームは /ws/chat/ROOM/?token=… に接続します。</translation>
    </message>
    <message>
        <source>Cookie name</source>
        <translation>Cookie の名前</translation>
    </message>
    <message>
        <source>Cookie value</source>
        <translation>Cookie の値</translation>
    </message>
    <message>
        <source>the session cookie&apos;s value</source>
        <translation>セッション Cookie の値</translation>
    </message>
    <message>
        <source>Name in the sidebar (optional)</source>
        <translation>サイドバーでの名前(任意)</translation>
    </message>
    <message>
        <source>Name in the sidebar</source>
        <translation>サイドバーでの名前</translation>
    </message>
    <message>
        <source>e.g. Work chat</source>
        <translation>例: 仕事用チャット</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Natter — %1</source>
        <translation>Natter — %1</translation>
    </message>
    <message>
        <source>Natter</source>
        <translation>Natter</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>You</source>
        <translation>あなた</translation>
    </message>
    <message>
        <source>stamp</source>
        <translation>スタンプ</translation>
    </message>
    <message>
        <source>location</source>
        <translation>位置情報</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨日</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>送信中</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>送信済み</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>配信済み</translation>
    </message>
    <message>
        <source>read</source>
        <translation>既読</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>未送信</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置情報</translation>
    </message>
    <message>
        <source>Open in map</source>
        <translation>地図で開く</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>送信できませんでした: %1</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>送信できませんでした</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>再送信</translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <source>Invite to %1</source>
        <translation>%1 に招待</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>新しいグループ</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新しいチャット</translation>
    </message>
    <message>
        <source>Direct chat</source>
        <translation>個別チャット</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>グループ</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>グループ名</translation>
    </message>
    <message>
        <source>Search people</source>
        <translation>ユーザーを検索</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>%1 を追加</translation>
    </message>
    <message>
        <source>Invited %1.</source>
        <translation>%1 を招待しました。</translation>
    </message>
    <message>
        <source>Nobody found.</source>
        <translation>見つかりませんでした。</translation>
    </message>
    <message>
        <source>Create group</source>
        <translation>グループを作成</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Open a conversation</source>
        <translation>会話を開く</translation>
    </message>
    <message>
        <source>This server has no list of people or rooms. Open a conversation by its id — ask the person or the server&apos;s owner for it.</source>
        <translation>このサーバーには人やルームの一覧がありません。ID で会話を開いてください — ID は相手かサーバーの管理者に聞いてください。</translation>
    </message>
    <message>
        <source>Open a</source>
        <translation>開く:</translation>
    </message>
    <message>
        <source>%1 id</source>
        <translation>%1 の ID</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開く</translation>
    </message>
</context>
<context>
    <name>NotificationsPopup</name>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>%1 wants to message you: “%2”</source>
        <translation>%1 からのメッセージリクエスト:「%2」</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>承認</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>ブロック</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>参加する</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>辞退</translation>
    </message>
    <message>
        <source>Nothing new.</source>
        <translation>新しい通知はありません。</translation>
    </message>
</context>
<context>
    <name>QuickSwitcherPopup</name>
    <message>
        <source>Jump to a room…</source>
        <translation>ルームに移動…</translation>
    </message>
    <message>
        <source>Room name</source>
        <translation>ルーム名</translation>
    </message>
</context>
<context>
    <name>RoomDelegate</name>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1、未読 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Stamp</source>
        <translation>スタンプ</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置情報</translation>
    </message>
    <message>
        <source>You: %1</source>
        <translation>あなた: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>RoomListPane</name>
    <message>
        <source>Search</source>
        <translation>検索</translation>
    </message>
    <message>
        <source>Search rooms and people</source>
        <translation>ルームとユーザーを検索</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>New chat (Ctrl+N)</source>
        <translation>新しいチャット (Ctrl+N)</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>ルーム</translation>
    </message>
    <message>
        <source>No room matches “%1”.</source>
        <translation>「%1」に一致するルームはありません。</translation>
    </message>
    <message>
        <source>No chats yet — start one with the pencil button.</source>
        <translation>チャットはまだありません。鉛筆ボタンで始めましょう。</translation>
    </message>
    <message>
        <source>Open a conversation by its id (Ctrl+N)</source>
        <translation>ID で会話を開く (Ctrl+N)</translation>
    </message>
    <message>
        <source>No conversations yet. This server lists none: open one by its id with the pencil button, or wait for someone to write.</source>
        <translation>まだ会話がありません。このサーバーは一覧を出さないので、鉛筆ボタンから ID で開くか、誰かが書くのを待ってください。</translation>
    </message>
    <message>
        <source>No rooms yet. They appear here when this server lists them or someone writes.</source>
        <translation>まだルームがありません。サーバーが一覧を出すか、誰かが書くとここに表示されます。</translation>
    </message>
</context>
<context>
    <name>RoomPage</name>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 が入力中…</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1、%2 が入力中…</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>グループ</translation>
    </message>
    <message>
        <source>online</source>
        <translation>オンライン</translation>
    </message>
    <message>
        <source>last seen %1</source>
        <translation>最終オンライン: %1</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>オフライン</translation>
    </message>
    <message>
        <source>Select a chat to start messaging</source>
        <translation>チャットを選んでメッセージを始めましょう</translation>
    </message>
    <message>
        <source>Ctrl+K switches rooms · Ctrl+N starts a new chat</source>
        <translation>Ctrl+K でルームを切り替え · Ctrl+N で新しいチャット</translation>
    </message>
    <message>
        <source>Invite people</source>
        <translation>メンバーを招待</translation>
    </message>
    <message>
        <source>Dialect %1</source>
        <translation>方言: %1</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>No messages yet — say hello!</source>
        <translation>まだメッセージはありません。あいさつしてみましょう!</translation>
    </message>
    <message>
        <source>Jump to the newest message</source>
        <translation>最新のメッセージへ移動</translation>
    </message>
    <message>
        <source>%1 wants to message you. Approve to answer, or block them.</source>
        <translation>%1 があなたにメッセージを送りたがっています。承認して返信するか、ブロックしてください。</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>承認</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>ブロック</translation>
    </message>
    <message>
        <source>%1 wants to message you. The server refused the answer: %2</source>
        <translation>%1 があなたにメッセージを送りたがっています。サーバーが返答を拒否しました: %2</translation>
    </message>
    <message>
        <source>This server does not say who sent these messages, so they cannot be answered here. To write to someone, open a conversation with them by their id (the pencil button).</source>
        <translation>このサーバーは送信者を知らせないため、ここでは返信できません。誰かに書くには、鉛筆ボタンからその人の ID で会話を開いてください。</translation>
    </message>
    <message>
        <source>Waiting for approval: %1 sees your message as a request and has not answered it yet.</source>
        <translation>承認待ち: %1 にはあなたのメッセージがリクエストとして届いており、まだ返答がありません。</translation>
    </message>
</context>
<context>
    <name>SecretsNotice</name>
    <message>
        <source>No keyring is available, so your sign-ins are kept in %1, readable only by you.</source>
        <translation>キーリングが使えないため、サインイン情報はあなただけが読める %1 に保存されます。</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>閉じる</translation>
    </message>
</context>
<context>
    <name>ServerRail</name>
    <message>
        <source>Servers</source>
        <translation>サーバー</translation>
    </message>
    <message>
        <source>Hosted server %1</source>
        <translation>ホスト中のサーバー %1</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%2 の %1</translation>
    </message>
    <message>
        <source>%1 · hosted here on %2</source>
        <translation>%1 · このコンピューターの %2 でホスト中</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 as %2 · %3</source>
        <translation>%1 (%2) · %3</translation>
    </message>
    <message>
        <source>Join or host another server</source>
        <translation>別のサーバーに参加またはホスト</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>online</source>
        <translation>オンライン</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>接続中…</translation>
    </message>
    <message>
        <source>reconnecting…</source>
        <translation>再接続中…</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>オフライン</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>名前を変更…</translation>
    </message>
    <message>
        <source>Name this server</source>
        <translation>このサーバーに名前を付ける</translation>
    </message>
    <message>
        <source>Server name</source>
        <translation>サーバー名</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>プライバシー</translation>
    </message>
    <message>
        <source>Send read receipts</source>
        <translation>既読を送信</translation>
    </message>
    <message>
        <source>Let others see when I am typing</source>
        <translation>入力中であることを表示</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Desktop notifications for new messages</source>
        <translation>新着メッセージをデスクトップに通知</translation>
    </message>
    <message>
        <source>Look</source>
        <translation>外観</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>テーマ</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>システムに合わせる</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>ライト</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>ダーク</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>システムの言語</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <source>%1 on %2 (%3)</source>
        <translation>%2 の %1 (%3)</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>サインアウト</translation>
    </message>
    <message>
        <source>Sign-ins</source>
        <translation>サインイン</translation>
    </message>
    <message>
        <source>Tokens and cookies are kept in the desktop&apos;s keyring.</source>
        <translation>トークンと Cookie はデスクトップのキーリングに保存されています。</translation>
    </message>
    <message>
        <source>No keyring is available: tokens and cookies are kept in %1, readable only by you.</source>
        <translation>キーリングが使えません: トークンと Cookie はあなただけが読める %1 に保存されます。</translation>
    </message>
    <message>
        <source>Tokens and cookies go to the desktop&apos;s keyring.</source>
        <translation>トークンと Cookie はデスクトップのキーリングに保存されます。</translation>
    </message>
</context>
<context>
    <name>ShareLocationDialog</name>
    <message>
        <source>Share a location</source>
        <translation>位置情報を共有</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>緯度</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>経度</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>共有</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>StampPicker</name>
    <message>
        <source>Stamps</source>
        <translation>スタンプ</translation>
    </message>
    <message>
        <source>This server has no stamps.</source>
        <translation>このサーバーにはスタンプがありません。</translation>
    </message>
</context>
<context>
    <name>TypingIndicator</name>
    <message>
        <source>%1 is typing</source>
        <translation>%1 が入力中</translation>
    </message>
    <message>
        <source>%1 and %2 are typing</source>
        <translation>%1、%2 が入力中</translation>
    </message>
    <message numerus="yes">
        <source>%1, %2 and %n more are typing</source>
        <translation>
            <numerusform>%1、%2 ほか %n 人が入力中</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnreadBadge</name>
    <message>
        <source>Natter</source>
        <translation>Natter</translation>
    </message>
    <message numerus="yes">
        <source>Natter — %n unread</source>
        <translation>
            <numerusform>Natter — 未読 %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Natter</source>
        <translation>Natter へようこそ</translation>
    </message>
    <message>
        <source>Chat with the people on your network. Host a server on this computer for your team, or join one that is already running.</source>
        <translation>ネットワーク内の人とチャットしましょう。このコンピューターでチーム用のサーバーをホストするか、すでに動いているサーバーに参加できます。</translation>
    </message>
    <message>
        <source>Host a server on this computer</source>
        <translation>このコンピューターでサーバーをホスト</translation>
    </message>
    <message>
        <source>Others on your network join you here. Your chats stay on this machine.</source>
        <translation>ネットワーク内の人がここに参加します。チャットはこのコンピューターに保存されます。</translation>
    </message>
    <message>
        <source>Join a server</source>
        <translation>サーバーに参加</translation>
    </message>
    <message>
        <source>Pick a server found on your network, or type its address.</source>
        <translation>ネットワークで見つかったサーバーを選ぶか、アドレスを入力します。</translation>
    </message>
    <message>
        <source>Back to my chats</source>
        <translation>チャットに戻る</translation>
    </message>
</context>
<context>
    <name>natter::desktop::Account</name>
    <message>
        <source>This app cannot speak the &apos;%1&apos; dialect.</source>
        <translation>このアプリは「%1」方言に対応していません。</translation>
    </message>
    <message>
        <source>Cannot open the local storage: %1</source>
        <translation>ローカルストレージを開けません: %1</translation>
    </message>
    <message>
        <source>Sent a stamp</source>
        <translation>スタンプを送信しました</translation>
    </message>
    <message>
        <source>Shared a location</source>
        <translation>位置情報を共有しました</translation>
    </message>
</context>
<context>
    <name>natter::desktop::DesktopApp</name>
    <message>
        <source>&apos;%1&apos; is not a server address. Type host:port, e.g. 192.168.1.23:8000.</source>
        <translation>「%1」はサーバーアドレスではありません。ホスト:ポートの形式で入力してください (例: 192.168.1.23:8000)。</translation>
    </message>
    <message>
        <source>An address and a token are needed.</source>
        <translation>アドレスとトークンが必要です。</translation>
    </message>
    <message>
        <source>The server did not answer: %1</source>
        <translation>サーバーから応答がありません: %1</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>ユーザー名またはパスワードが違います。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a server address.</source>
        <translation>「%1」はサーバーのアドレスではありません。</translation>
    </message>
    <message>
        <source>An address and the session cookie&apos;s value are needed.</source>
        <translation>アドレスとセッション Cookie の値が必要です。</translation>
    </message>
</context>
<context>
    <name>natter::desktop::HostingController</name>
    <message>
        <source>&apos;%1&apos; is not an address this computer can listen on.</source>
        <translation>このコンピューターは「%1」で待ち受けできません。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>フォルダー %1 を作成できません。</translation>
    </message>
    <message>
        <source>Cannot make the server&apos;s TLS certificate: %1</source>
        <translation>サーバーの TLS 証明書を作成できません: %1</translation>
    </message>
</context>
<context>
    <name>natter::desktop::TrayController</name>
    <message>
        <source>Show Natter</source>
        <translation>Natter を表示</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>Natter is still running</source>
        <translation>Natter は実行中です</translation>
    </message>
    <message>
        <source>It waits in the tray so new messages still reach you. Choose Quit in its menu to end it.</source>
        <translation>新しいメッセージを受け取れるようにトレイで待機しています。終了するにはメニューから「終了」を選んでください。</translation>
    </message>
</context>
</TS>
