import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import Natter.Ui

// A round icon button with a tooltip and an accessible name.
RoundButton {
    id: button
    property string iconName
    property string toolTip
    property int iconSize: 20

    flat: true
    implicitWidth: 44
    implicitHeight: 44
    icon.source: Theme.icon(iconName)
    icon.width: iconSize
    icon.height: iconSize
    icon.color: Theme.mutedText
    Accessible.name: toolTip
    ToolTip.visible: hovered && toolTip.length > 0
    ToolTip.delay: 400
    ToolTip.text: toolTip
}
