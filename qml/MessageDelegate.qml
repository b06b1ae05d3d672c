import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Controls.impl
import Natter.Ui

// One message: day separator, sender (first of a group, others' messages in
// groups), then a bubble — text, a large stamp, or a location card — with the
// time and (own messages) the delivery status inside, bottom right.
Item {
    id: message
    required property int index
    required property string messageId
    required property string clientId
    required property string senderName
    required property bool outgoing
    required property string kind
    required property string text
    required property string stampId
    required property double latitude
    required property double longitude
    required property var createdAt
    required property string statusName
    required property string failureReason
    required property bool firstOfGroup
    required property bool lastOfGroup
    required property bool dayStart
    property Account account
    property bool isGroup: false

    readonly property bool showSender: !outgoing && isGroup && firstOfGroup
    readonly property bool bubbleless: kind === "stamp"
    // The delivery status as an icon name (resources/icons).
    readonly property string statusIconName: statusName === "sending" ? "clock"
                                           : statusName === "failed" ? "warning"
                                           : statusName === "sent" ? "check" : "check-double"

    // The user asked to send a failed message again.
    signal retryRequested(string clientId)

    objectName: "message:" + (messageId.length > 0 ? messageId : clientId)
    implicitHeight: column.implicitHeight + (lastOfGroup ? 8 : 2)
    // What a screen reader says; the delivery status only for our own messages.
    readonly property string description: (outgoing ? qsTr("You") : senderName) + ": "
        + (kind === "stamp" ? qsTr("stamp") : kind === "location" ? qsTr("location") : text)
        + (outgoing ? ", " + statusText() : "")
    Accessible.role: Accessible.StaticText
    Accessible.name: description

    function dayLabel(when) {
        if (!when || isNaN(when.getTime()))
            return ""
        const today = new Date()
        const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1)
        if (when.toDateString() === today.toDateString())
            return qsTr("Today")
        if (when.toDateString() === yesterday.toDateString())
            return qsTr("Yesterday")
        return when.toLocaleDateString(Qt.locale(), Locale.LongFormat)
    }
    function statusText() {
        switch (statusName) {
        case "sending": return qsTr("sending")
        case "sent": return qsTr("sent")
        case "delivered": return qsTr("delivered")
        case "read": return qsTr("read")
        case "failed": return qsTr("not sent")
        }
        return ""
    }
    function mapUrl() {
        return "https://www.openstreetmap.org/?mlat=" + latitude + "&mlon=" + longitude
               + "#map=16/" + latitude + "/" + longitude
    }

    Column {
        id: column
        width: parent.width
        topPadding: message.firstOfGroup ? 6 : 0
        spacing: 2

        // Day separator
        Item {
            objectName: "daySeparator"
            visible: message.dayStart
            width: parent.width
            height: visible ? 36 : 0
            Rectangle {
                anchors.centerIn: parent
                width: dayText.implicitWidth + 20
                height: 24
                radius: 12
                color: Theme.surface
                Label {
                    id: dayText
                    objectName: "dayLabel"
                    anchors.centerIn: parent
                    text: message.dayLabel(message.createdAt)
                    font.pixelSize: 12
                    color: Theme.mutedText
                }
            }
        }

        Row {
            id: row
            spacing: 8
            x: message.outgoing ? parent.width - width - 16 : 16

            // Avatar column (others, in groups): shown on the first of a group.
            Item {
                visible: !message.outgoing && message.isGroup
                width: 32
                height: 32
                AvatarBadge {
                    visible: message.firstOfGroup
                    size: 32
                    name: message.senderName
                }
            }

            Column {
                spacing: 2
                Label {
                    objectName: "senderLabel"
                    visible: message.showSender
                    text: message.senderName
                    color: Theme.colorFor(message.senderName)
                    font.pixelSize: 12
                    font.weight: Font.DemiBold
                    leftPadding: 4
                }

                Rectangle {
                    id: bubble
                    objectName: "bubble"
                    readonly property int maxWidth: Math.min(560, message.width * 0.7)
                    width: Math.max(meta.implicitWidth + 24,
                                    Math.min(maxWidth, content.implicitWidth + 24))
                    height: content.height + meta.height + 14
                    radius: Theme.radius
                    color: message.bubbleless ? "transparent"
                         : message.outgoing ? Theme.ownBubble : Theme.otherBubble

                    Column {
                        id: content
                        x: 12
                        y: 7
                        width: bubble.width - 24
                        readonly property real implicitWidth: message.kind === "text" ? Math.ceil(bodyText.implicitWidth)
                                                            : message.kind === "stamp" ? stampText.implicitWidth
                                                            : locationCard.implicitWidth

                        TextEdit {
                            id: bodyText
                            visible: message.kind === "text"
                            width: parent.width
                            text: message.text
                            readOnly: true
                            selectByMouse: true
                            wrapMode: Text.Wrap
                            textFormat: TextEdit.PlainText
                            color: message.outgoing ? Theme.ownBubbleText : Theme.text
                            selectedTextColor: "white"
                            selectionColor: Theme.accent
                            font.family: Theme.fontFamily
                            font.pixelSize: 14
                        }
                        Text {
                            id: stampText
                            visible: message.kind === "stamp"
                            text: (message.account ? message.account.stampEmoji(message.stampId) : "") || "🙂"
                            font.family: Theme.emojiFamily
                            font.pixelSize: 56
                        }
                        Column {
                            id: locationCard
                            visible: message.kind === "location"
                            spacing: 2
                            Row {
                                spacing: 6
                                IconImage {
                                    source: Theme.icon("location")
                                    sourceSize: Qt.size(18, 18)
                                    color: message.outgoing ? Theme.ownBubbleText : Theme.accent
                                }
                                Label {
                                    text: qsTr("Location")
                                    font.weight: Font.DemiBold
                                    color: message.outgoing ? Theme.ownBubbleText : Theme.text
                                }
                            }
                            Label {
                                text: message.latitude.toFixed(5) + ", " + message.longitude.toFixed(5)
                                color: message.outgoing ? Theme.ownBubbleText : Theme.text
                                font.pixelSize: 13
                            }
                            Label {
                                text: "<a href=\"" + message.mapUrl() + "\">" + qsTr("Open in map") + "</a>"
                                textFormat: Text.StyledText
                                linkColor: message.outgoing ? Theme.ownBubbleText : Theme.accent
                                onLinkActivated: (link) => Qt.openUrlExternally(link)
                                font.pixelSize: 13
                            }
                        }
                    }

                    Row {
                        id: meta
                        anchors.right: parent.right
                        anchors.rightMargin: 10
                        anchors.bottom: parent.bottom
                        anchors.bottomMargin: 5
                        spacing: 4
                        Label {
                            text: message.createdAt ? Qt.formatTime(message.createdAt, Theme.shortTimeFormat) : ""
                            font.pixelSize: 11
                            color: message.outgoing && !message.bubbleless ? Qt.rgba(1, 1, 1, 0.8) : Theme.mutedText
                        }
                        IconImage {
                            objectName: "statusIcon"
                            visible: message.outgoing
                            anchors.verticalCenter: parent.verticalCenter
                            sourceSize: Qt.size(14, 14)
                            source: Theme.icon(message.statusIconName)
                            color: message.statusName === "failed" ? Theme.danger
                                 : message.statusName === "read" ? (message.bubbleless ? Theme.accent : "#bfe3ff")
                                 : message.bubbleless ? Theme.mutedText : Qt.rgba(1, 1, 1, 0.7)
                            Accessible.name: message.statusText()
                        }
                    }
                }

                // Failed: why, and a way to try again.
                Row {
                    objectName: "failureRow"
                    visible: message.statusName === "failed"
                    layoutDirection: Qt.RightToLeft
                    width: bubble.width
                    spacing: 8
                    Label {
                        objectName: "failureLabel"
                        anchors.verticalCenter: parent.verticalCenter
                        text: message.failureReason.length > 0 ? qsTr("Not sent: %1").arg(message.failureReason)
                                                               : qsTr("Not sent")
                        color: Theme.danger
                        font.pixelSize: 12
                    }
                    Button {
                        objectName: "retryButton"
                        text: qsTr("Retry")
                        flat: true
                        font.pixelSize: 12
                        onClicked: message.retryRequested(message.clientId)
                    }
                }
            }
        }
    }
}
