<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ComposerBar</name>
    <message>
        <source>Send a stamp</source>
        <translation>Sticker senden</translation>
    </message>
    <message>
        <source>Share a location</source>
        <translation>Standort teilen</translation>
    </message>
    <message>
        <source>Write a message…</source>
        <translation>Nachricht schreiben …</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
</context>
<context>
    <name>DesktopCommand</name>
    <message>
        <source>Natter: chat on your network, or host a server for it.</source>
        <translation>Natter: Chatte in deinem Netzwerk oder stelle selbst einen Server dafür bereit.</translation>
    </message>
    <message>
        <source>Start in the tray, without a window.</source>
        <translation>Ohne Fenster im Infobereich starten.</translation>
    </message>
</context>
<context>
    <name>FormPage</name>
    <message>
        <source>‹ Back</source>
        <translation>‹ Zurück</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
</context>
<context>
    <name>HostForm</name>
    <message>
        <source>Host a server</source>
        <translation>Server bereitstellen</translation>
    </message>
    <message>
        <source>Natter starts a chat server on this computer. People on your network join it with the address shown once it runs.</source>
        <translation>Natter startet einen Chat-Server auf diesem Computer. Personen in deinem Netzwerk treten ihm über die Adresse bei, die angezeigt wird, sobald er läuft.</translation>
    </message>
    <message>
        <source>Server name</source>
        <translation>Servername</translation>
    </message>
    <message>
        <source>e.g. Office</source>
        <translation>z. B. Büro</translation>
    </message>
    <message>
        <source>Listen on</source>
        <translation>Lauschen auf</translation>
    </message>
    <message>
        <source>Network interface</source>
        <translation>Netzwerkschnittstelle</translation>
    </message>
    <message>
        <source>All interfaces (others can join)</source>
        <translation>Alle Schnittstellen (andere können beitreten)</translation>
    </message>
    <message>
        <source>This computer only</source>
        <translation>Nur dieser Computer</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>any</source>
        <translation>beliebig</translation>
    </message>
    <message>
        <source>Your username</source>
        <translation>Dein Benutzername</translation>
    </message>
    <message>
        <source>2–32 letters, digits, . _ -</source>
        <translation>2–32 Buchstaben, Ziffern, . _ -</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>At least 8 characters</source>
        <translation>Mindestens 8 Zeichen</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet …</translation>
    </message>
    <message>
        <source>Start hosting</source>
        <translation>Server starten</translation>
    </message>
</context>
<context>
    <name>HostingBanner</name>
    <message>
        <source>Hosting on %1</source>
        <translation>Server läuft auf %1</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird beendet …</translation>
    </message>
    <message>
        <source>Not hosting</source>
        <translation>Kein Server aktiv</translation>
    </message>
    <message numerus="yes">
        <source>%n connected</source>
        <translation>
            <numerusform>%n verbunden</numerusform>
            <numerusform>%n verbunden</numerusform>
        </translation>
    </message>
    <message>
        <source>Your data is kept for next time</source>
        <translation>Deine Daten bleiben für das nächste Mal erhalten</translation>
    </message>
    <message>
        <source>Copy the address</source>
        <translation>Adresse kopieren</translation>
    </message>
    <message>
        <source>Stop hosting</source>
        <translation>Server beenden</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>TLS certificate SHA-256 %1</source>
        <translation>TLS-Zertifikat SHA-256 %1</translation>
    </message>
</context>
<context>
    <name>JoinForm</name>
    <message>
        <source>Join a server</source>
        <translation>Einem Server beitreten</translation>
    </message>
    <message>
        <source>On your network</source>
        <translation>In deinem Netzwerk</translation>
    </message>
    <message>
        <source>%1 at %2:%3</source>
        <translation>%1 unter %2:%3</translation>
    </message>
    <message>
        <source>%1:%2 · checking…</source>
        <translation>%1:%2 · wird geprüft …</translation>
    </message>
    <message>
        <source>%1:%2 · added by hand</source>
        <translation>%1:%2 · manuell hinzugefügt</translation>
    </message>
    <message>
        <source>%1:%2 · not answering</source>
        <translation>%1:%2 · antwortet nicht</translation>
    </message>
    <message>
        <source>Forget this address</source>
        <translation>Diese Adresse vergessen</translation>
    </message>
    <message>
        <source>Listening for servers on your network…</source>
        <translation>Suche nach Servern in deinem Netzwerk …</translation>
    </message>
    <message>
        <source>Or type an address</source>
        <translation>Oder gib eine Adresse ein</translation>
    </message>
    <message>
        <source>host:port, e.g. 192.168.1.23:8000</source>
        <translation>Host:Port, z. B. 192.168.1.23:8000</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>%1 wird geprüft …</translation>
    </message>
    <message>
        <source>Natter server “%1” found.</source>
        <translation>Natter-Server „%1“ gefunden.</translation>
    </message>
    <message>
        <source>Dialect</source>
        <translation>Dialekt</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Create a new account</source>
        <translation>Neues Konto erstellen</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Paste the token the server gave you</source>
        <translation>Füge das Token ein, das du vom Server erhalten hast</translation>
    </message>
    <message>
        <source>WebSocket path (optional)</source>
        <translation>WebSocket-Pfad (optional)</translation>
    </message>
    <message>
        <source>WebSocket path</source>
        <translation>WebSocket-Pfad</translation>
    </message>
    <message>
        <source>the dialect&apos;s usual path</source>
        <translation>der übliche Pfad des Dialekts</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung läuft …</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>Konto erstellen</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>No server answers at %1.</source>
        <translation>Unter %1 antwortet kein Server.</translation>
    </message>
    <message>
        <source>%1 shows a certificate no authority vouches for. Ask the person who hosts it for the fingerprint in their hosting banner and compare:</source>
        <translation>%1 zeigt ein Zertifikat, für das keine Zertifizierungsstelle bürgt. Fragen Sie die Person, die den Server betreibt, nach dem Fingerabdruck in ihrem Hosting-Banner und vergleichen Sie:</translation>
    </message>
    <message>
        <source>They match — trust this server</source>
        <translation>Sie stimmen überein – diesem Server vertrauen</translation>
    </message>
    <message>
        <source>or the CA certificate that signed it (PEM file)</source>
        <translation>oder das CA-Zertifikat, das es signiert hat (PEM-Datei)</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>CA-Zertifikatsdatei</translation>
    </message>
    <message>
        <source>Use this CA</source>
        <translation>Diese CA verwenden</translation>
    </message>
    <message>
        <source>%1 answers, but it is not a Natter server%2. Choose the dialect it speaks and give what it signs in with.</source>
        <translation>%1 antwortet, ist aber kein Natter-Server%2. Wählen Sie den Dialekt, den er spricht, und geben Sie an, womit er anmeldet.</translation>
    </message>
    <message>
        <source> (it says it runs %1)</source>
        <translation> (er meldet sich als %1)</translation>
    </message>
    <message>
        <source>This server signs you in with a session cookie. Sign in on its website, then copy the cookie&apos;s name and value from your browser (Storage → Cookies).</source>
        <translation>Dieser Server meldet Sie mit einem Sitzungs-Cookie an. Melden Sie sich auf seiner Website an und kopieren Sie Name und Wert des Cookies aus Ihrem Browser (Speicher → Cookies).</translation>
    </message>
    <message>
        <source>Paste the JWT the server gave you; the app connects to /cable?token=….</source>
        <translation>Fügen Sie das JWT ein, das Ihnen der Server gegeben hat; die App verbindet sich mit /cable?token=….</translation>
    </message>
    <message>
        <source>Paste the JWT the server gave you; the app connects to /chats/ws?token=…. Chats open by their id.</source>
        <translation>Fügen Sie das JWT ein, das Ihnen der Server gegeben hat; die App verbindet sich mit /chats/ws?token=…. Chats öffnen Sie über ihre ID.</translation>
    </message>
    <message>
        <source>Paste your OAuth token; the app sends it in IDENTIFY on the server&apos;s /ws.</source>
        <translation>Fügen Sie Ihr OAuth-Token ein; die App sendet es per IDENTIFY an /ws des Servers.</translation>
    </message>
    <message>
        <source>Paste the JWT the server gave you; each room connects to /ws/chat/ROOM/?token=….</source>
        <translation>Fügen Sie das JWT ein, das Ihnen der Server gegeben hat; jeder Raum verbindet sich mit /ws/chat/RAUM/?token=….</translation>
    </message>
    <message>
        <source>Cookie name</source>
        <translation>Cookie-Name</translation>
    </message>
    <message>
        <source>Cookie value</source>
        <translation>Cookie-Wert</translation>
    </message>
    <message>
        <source>the session cookie&apos;s value</source>
        <translation>der Wert des Sitzungs-Cookies</translation>
    </message>
    <message>
        <source>Name in the sidebar (optional)</source>
        <translation>Name in der Seitenleiste (optional)</translation>
    </message>
    <message>
        <source>Name in the sidebar</source>
        <translation>Name in der Seitenleiste</translation>
    </message>
    <message>
        <source>e.g. Work chat</source>
        <translation>z. B. Arbeits-Chat</translation>
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
        <translation>Du</translation>
    </message>
    <message>
        <source>stamp</source>
        <translation>Sticker</translation>
    </message>
    <message>
        <source>location</source>
        <translation>Standort</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>wird gesendet</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>zugestellt</translation>
    </message>
    <message>
        <source>read</source>
        <translation>gelesen</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>nicht gesendet</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Standort</translation>
    </message>
    <message>
        <source>Open in map</source>
        <translation>In Karte öffnen</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Nicht gesendet: %1</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Nicht gesendet</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <source>Invite to %1</source>
        <translation>Zu %1 einladen</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>Neue Gruppe</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>Direct chat</source>
        <translation>Direktchat</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>Gruppenname</translation>
    </message>
    <message>
        <source>Search people</source>
        <translation>Personen suchen</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>%1 hinzufügen</translation>
    </message>
    <message>
        <source>Invited %1.</source>
        <translation>%1 eingeladen.</translation>
    </message>
    <message>
        <source>Nobody found.</source>
        <translation>Niemand gefunden.</translation>
    </message>
    <message>
        <source>Create group</source>
        <translation>Gruppe erstellen</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Open a conversation</source>
        <translation>Unterhaltung öffnen</translation>
    </message>
    <message>
        <source>This server has no list of people or rooms. Open a conversation by its id — ask the person or the server&apos;s owner for it.</source>
        <translation>Dieser Server hat keine Liste von Personen oder Räumen. Öffnen Sie eine Unterhaltung über ihre ID – fragen Sie die Person oder den Betreiber des Servers danach.</translation>
    </message>
    <message>
        <source>Open a</source>
        <translation>Öffnen:</translation>
    </message>
    <message>
        <source>%1 id</source>
        <translation>%1-ID</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>NotificationsPopup</name>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>%1 wants to message you: “%2”</source>
        <translation>%1 möchte dir schreiben: „%2“</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Zulassen</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>Blockieren</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Nothing new.</source>
        <translation>Nichts Neues.</translation>
    </message>
</context>
<context>
    <name>QuickSwitcherPopup</name>
    <message>
        <source>Jump to a room…</source>
        <translation>Zu einem Raum springen …</translation>
    </message>
    <message>
        <source>Room name</source>
        <translation>Raumname</translation>
    </message>
</context>
<context>
    <name>RoomDelegate</name>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n ungelesen</numerusform>
            <numerusform>%1, %n ungelesen</numerusform>
        </translation>
    </message>
    <message>
        <source>Stamp</source>
        <translation>Sticker</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Standort</translation>
    </message>
    <message>
        <source>You: %1</source>
        <translation>Du: %1</translation>
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
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Search rooms and people</source>
        <translation>Räume und Personen suchen</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>New chat (Ctrl+N)</source>
        <translation>Neuer Chat (Strg+N)</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>No room matches “%1”.</source>
        <translation>Kein Raum passt zu „%1“.</translation>
    </message>
    <message>
        <source>No chats yet — start one with the pencil button.</source>
        <translation>Noch keine Chats — starte einen mit dem Stift-Knopf.</translation>
    </message>
    <message>
        <source>Open a conversation by its id (Ctrl+N)</source>
        <translation>Unterhaltung über ihre ID öffnen (Strg+N)</translation>
    </message>
    <message>
        <source>No conversations yet. This server lists none: open one by its id with the pencil button, or wait for someone to write.</source>
        <translation>Noch keine Unterhaltungen. Dieser Server listet keine auf: Öffnen Sie eine über ihre ID mit dem Stift-Knopf, oder warten Sie, bis Ihnen jemand schreibt.</translation>
    </message>
    <message>
        <source>No rooms yet. They appear here when this server lists them or someone writes.</source>
        <translation>Noch keine Räume. Sie erscheinen hier, wenn der Server sie auflistet oder jemand schreibt.</translation>
    </message>
</context>
<context>
    <name>RoomPage</name>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 schreibt …</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 und %2 schreiben …</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>last seen %1</source>
        <translation>zuletzt online %1</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>Select a chat to start messaging</source>
        <translation>Wähle einen Chat, um loszuschreiben</translation>
    </message>
    <message>
        <source>Ctrl+K switches rooms · Ctrl+N starts a new chat</source>
        <translation>Strg+K wechselt den Raum · Strg+N startet einen neuen Chat</translation>
    </message>
    <message>
        <source>Invite people</source>
        <translation>Personen einladen</translation>
    </message>
    <message>
        <source>Dialect %1</source>
        <translation>Dialekt %1</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>No messages yet — say hello!</source>
        <translation>Noch keine Nachrichten — sag Hallo!</translation>
    </message>
    <message>
        <source>Jump to the newest message</source>
        <translation>Zur neuesten Nachricht springen</translation>
    </message>
    <message>
        <source>%1 wants to message you. Approve to answer, or block them.</source>
        <translation>%1 möchte Ihnen schreiben. Genehmigen Sie, um zu antworten, oder blockieren Sie.</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Zulassen</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>Blockieren</translation>
    </message>
    <message>
        <source>%1 wants to message you. The server refused the answer: %2</source>
        <translation>%1 möchte Ihnen schreiben. Der Server hat die Antwort abgelehnt: %2</translation>
    </message>
    <message>
        <source>This server does not say who sent these messages, so they cannot be answered here. To write to someone, open a conversation with them by their id (the pencil button).</source>
        <translation>Dieser Server sagt nicht, wer diese Nachrichten geschickt hat; hier kann man nicht antworten. Um jemandem zu schreiben, öffnen Sie eine Unterhaltung über die ID der Person (Stift-Knopf).</translation>
    </message>
    <message>
        <source>Waiting for approval: %1 sees your message as a request and has not answered it yet.</source>
        <translation>Wartet auf Genehmigung: %1 sieht Ihre Nachricht als Anfrage und hat noch nicht geantwortet.</translation>
    </message>
</context>
<context>
    <name>SecretsNotice</name>
    <message>
        <source>No keyring is available, so your sign-ins are kept in %1, readable only by you.</source>
        <translation>Kein Schlüsselbund verfügbar: Ihre Anmeldungen werden in %1 gespeichert, nur für Sie lesbar.</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
</context>
<context>
    <name>ServerRail</name>
    <message>
        <source>Servers</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Hosted server %1</source>
        <translation>Eigener Server %1</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message>
        <source>%1 · hosted here on %2</source>
        <translation>%1 · hier bereitgestellt auf %2</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 as %2 · %3</source>
        <translation>%1 als %2 · %3</translation>
    </message>
    <message>
        <source>Join or host another server</source>
        <translation>Weiteren Server beitreten oder bereitstellen</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>verbinde …</translation>
    </message>
    <message>
        <source>reconnecting…</source>
        <translation>verbinde erneut …</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <source>Name this server</source>
        <translation>Diesen Server benennen</translation>
    </message>
    <message>
        <source>Server name</source>
        <translation>Servername</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>Privatsphäre</translation>
    </message>
    <message>
        <source>Send read receipts</source>
        <translation>Lesebestätigungen senden</translation>
    </message>
    <message>
        <source>Let others see when I am typing</source>
        <translation>Anderen zeigen, wenn ich schreibe</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>Desktop notifications for new messages</source>
        <translation>Desktop-Benachrichtigungen für neue Nachrichten</translation>
    </message>
    <message>
        <source>Look</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>%1 on %2 (%3)</source>
        <translation>%1 auf %2 (%3)</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Sign-ins</source>
        <translation>Anmeldungen</translation>
    </message>
    <message>
        <source>Tokens and cookies are kept in the desktop&apos;s keyring.</source>
        <translation>Tokens und Cookies liegen im Schlüsselbund des Desktops.</translation>
    </message>
    <message>
        <source>No keyring is available: tokens and cookies are kept in %1, readable only by you.</source>
        <translation>Kein Schlüsselbund verfügbar: Tokens und Cookies liegen in %1, nur für Sie lesbar.</translation>
    </message>
    <message>
        <source>Tokens and cookies go to the desktop&apos;s keyring.</source>
        <translation>Tokens und Cookies kommen in den Schlüsselbund des Desktops.</translation>
    </message>
</context>
<context>
    <name>ShareLocationDialog</name>
    <message>
        <source>Share a location</source>
        <translation>Standort teilen</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Breitengrad</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Längengrad</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Teilen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>StampPicker</name>
    <message>
        <source>Stamps</source>
        <translation>Sticker</translation>
    </message>
    <message>
        <source>This server has no stamps.</source>
        <translation>Dieser Server hat keine Sticker.</translation>
    </message>
</context>
<context>
    <name>TypingIndicator</name>
    <message>
        <source>%1 is typing</source>
        <translation>%1 schreibt</translation>
    </message>
    <message>
        <source>%1 and %2 are typing</source>
        <translation>%1 und %2 schreiben</translation>
    </message>
    <message numerus="yes">
        <source>%1, %2 and %n more are typing</source>
        <translation>
            <numerusform>%1, %2 und %n weitere Person schreiben</numerusform>
            <numerusform>%1, %2 und %n weitere schreiben</numerusform>
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
            <numerusform>Natter — %n ungelesen</numerusform>
            <numerusform>Natter — %n ungelesen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Natter</source>
        <translation>Willkommen bei Natter</translation>
    </message>
    <message>
        <source>Chat with the people on your network. Host a server on this computer for your team, or join one that is already running.</source>
        <translation>Chatte mit den Menschen in deinem Netzwerk. Stelle auf diesem Computer einen Server für dein Team bereit oder tritt einem bei, der schon läuft.</translation>
    </message>
    <message>
        <source>Host a server on this computer</source>
        <translation>Server auf diesem Computer bereitstellen</translation>
    </message>
    <message>
        <source>Others on your network join you here. Your chats stay on this machine.</source>
        <translation>Andere in deinem Netzwerk treten hier bei. Deine Chats bleiben auf diesem Gerät.</translation>
    </message>
    <message>
        <source>Join a server</source>
        <translation>Einem Server beitreten</translation>
    </message>
    <message>
        <source>Pick a server found on your network, or type its address.</source>
        <translation>Wähle einen Server aus deinem Netzwerk oder gib seine Adresse ein.</translation>
    </message>
    <message>
        <source>Back to my chats</source>
        <translation>Zurück zu meinen Chats</translation>
    </message>
</context>
<context>
    <name>natter::desktop::Account</name>
    <message>
        <source>This app cannot speak the &apos;%1&apos; dialect.</source>
        <translation>Diese App beherrscht den Dialekt „%1“ nicht.</translation>
    </message>
    <message>
        <source>Cannot open the local storage: %1</source>
        <translation>Der lokale Speicher lässt sich nicht öffnen: %1</translation>
    </message>
    <message>
        <source>Sent a stamp</source>
        <translation>Hat einen Sticker gesendet</translation>
    </message>
    <message>
        <source>Shared a location</source>
        <translation>Hat einen Standort geteilt</translation>
    </message>
</context>
<context>
    <name>natter::desktop::DesktopApp</name>
    <message>
        <source>&apos;%1&apos; is not a server address. Type host:port, e.g. 192.168.1.23:8000.</source>
        <translation>„%1“ ist keine Serveradresse. Gib Host:Port ein, z. B. 192.168.1.23:8000.</translation>
    </message>
    <message>
        <source>An address and a token are needed.</source>
        <translation>Adresse und Token werden benötigt.</translation>
    </message>
    <message>
        <source>The server did not answer: %1</source>
        <translation>Der Server hat nicht geantwortet: %1</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>Benutzername oder Passwort ist falsch.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a server address.</source>
        <translation>„%1“ ist keine Serveradresse.</translation>
    </message>
    <message>
        <source>An address and the session cookie&apos;s value are needed.</source>
        <translation>Eine Adresse und der Wert des Sitzungs-Cookies werden benötigt.</translation>
    </message>
</context>
<context>
    <name>natter::desktop::HostingController</name>
    <message>
        <source>&apos;%1&apos; is not an address this computer can listen on.</source>
        <translation>Auf „%1“ kann dieser Computer nicht lauschen.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 lässt sich nicht anlegen.</translation>
    </message>
    <message>
        <source>Cannot make the server&apos;s TLS certificate: %1</source>
        <translation>Das TLS-Zertifikat des Servers lässt sich nicht erstellen: %1</translation>
    </message>
</context>
<context>
    <name>natter::desktop::TrayController</name>
    <message>
        <source>Show Natter</source>
        <translation>Natter anzeigen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Natter is still running</source>
        <translation>Natter läuft weiter</translation>
    </message>
    <message>
        <source>It waits in the tray so new messages still reach you. Choose Quit in its menu to end it.</source>
        <translation>Natter wartet im Infobereich, damit dich neue Nachrichten weiter erreichen. Wähle „Beenden“ im Menü, um es zu schließen.</translation>
    </message>
</context>
</TS>
